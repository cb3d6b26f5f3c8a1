"""Settings from the environment, read once per process.

Why: the same code runs on a laptop (SQLite under var/), in CI (PostgreSQL when TEST_DATABASE_URL is set)
and in production (PostgreSQL, Redis), so nothing about a place may be written into code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.constants import DEFAULT_RETENTION_DAYS, UK_TIMEZONE

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'local_offer.db'}"


def _default_tracker_store_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'tracker.db'}"


@dataclass(frozen=True)
class Settings:
    """What the bot package needs to know about where it runs."""

    database_url: str = field(default_factory=_default_database_url)
    # Rasa's SQL tracker store, read (never written) by the officers' dashboard.
    tracker_store_url: str = field(default_factory=_default_tracker_store_url)
    content_dir: Path = ROOT / "data" / "local_offer"
    rasa_public_url: str = "http://localhost:5005"
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    secret_key: str = ""
    sender_salt: str = "change-me"
    retention_days: int = DEFAULT_RETENTION_DAYS
    timezone: str = UK_TIMEZONE
    # Staff console cookies are Secure unless WEB_INSECURE_COOKIES=1 (plain-http development on localhost only).
    insecure_cookies: bool = False
    # Threads for one sentence-encoder forward pass under ONNX Runtime (ENCODER_THREADS). One: a server
    # answers several conversations at once, and a pass spread over every core makes the others wait.
    encoder_threads: int = 1


def _from_env() -> Settings:
    env = os.environ
    defaults = Settings()
    return Settings(
        database_url=env.get("DATABASE_URL") or defaults.database_url,
        tracker_store_url=env.get("TRACKER_STORE_URL") or defaults.tracker_store_url,
        content_dir=Path(env.get("CONTENT_DIR") or defaults.content_dir),
        rasa_public_url=env.get("RASA_PUBLIC_URL") or defaults.rasa_public_url,
        web_host=env.get("WEB_HOST") or defaults.web_host,
        web_port=int(env.get("WEB_PORT") or defaults.web_port),
        secret_key=env.get("SECRET_KEY") or "",
        sender_salt=env.get("SENDER_SALT") or defaults.sender_salt,
        retention_days=int(env.get("RETENTION_DAYS") or defaults.retention_days),
        insecure_cookies=env.get("WEB_INSECURE_COOKIES", "").strip().lower() in ("1", "true", "yes"),
        encoder_threads=int(env.get("ENCODER_THREADS") or defaults.encoder_threads),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings for this process; tests call `get_settings.cache_clear()` after changing the environment."""
    return _from_env()
