"""The replicated tier the scale tests run against: two action servers, two Rasa servers, one PostgreSQL
tracker store, one Redis lock store, and fresh databases for every run.

Why a Python harness rather than a shell script: the fault tests must stop, kill and restart single
processes (one Rasa replica, one action server, Redis) in the middle of a conversation, so the processes
belong to the test session. Every process is started here, tracked by its pid and stopped by that pid.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from uuid import uuid4

import requests
import yaml
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(os.environ.get("VENV", ROOT / ".venv")) / "bin"
MODEL = ROOT / "models" / "local-offer.tar.gz"
ENDPOINTS = ROOT / "scripts" / "scale" / "endpoints.yml"
CREDENTIALS = ROOT / "credentials.yml"
LOG_DIR = ROOT / "var" / "log" / "scale"
PIDS_FILE = LOG_DIR / "pids"

PG_ADMIN_URL = os.environ.get("SCALE_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CONTENT_DB = "local_offer_scale_content"
TRACKER_DB = "local_offer_scale_tracker"
REDIS_PORT = 6390
REDIS_DB = 5
RASA_PORTS = (5105, 5106)
ACTION_PORTS = (5155, 5156)
NGINX_PORT = 8780
RASA_READY_SECONDS = int(os.environ.get("SCALE_RASA_READY_SECONDS", "300"))


def pg_url(database: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database


def admin_execute(*statements: str) -> None:
    """Statements that cannot run in a transaction (CREATE/DROP/ALTER DATABASE)."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def recreate_database(name: str) -> None:
    admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def set_database_open(name: str, open_: bool) -> None:
    """Refuse (or allow again) every new connection to a database, and end the current ones when closing.

    This is how the tests take the Local Offer database away from the action servers without touching the
    PostgreSQL server that other helpers share."""
    statements = [f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if open_ else "false"}']
    if not open_:
        statements.append(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()"
        )
    admin_execute(*statements)


@dataclass
class Service:
    """One process of the tier: how to start it, and how to tell it is ready."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready_url: str
    ready_seconds: int
    process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return LOG_DIR / f"{self.name}.log"

    def start(self) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        log.write(f"\n==== start {time.strftime('%H:%M:%S')} ====\n".encode())
        log.flush()
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        with PIDS_FILE.open("a") as pids:  # for scripts/scale/test-scale.sh, if pytest itself is killed
            pids.write(f"{self.process.pid} {self.name}\n")

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_seconds
        while time.monotonic() < deadline:
            if not self.is_running():
                raise RuntimeError(f"{self.name} stopped while starting; see {self.log_path}")
            try:
                if requests.get(self.ready_url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"{self.name} was not ready in {self.ready_seconds} s; see {self.log_path}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to this service's own process group (it was started in a new session)."""
        if self.is_running():
            assert self.process is not None
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=60)

    def stop(self) -> None:
        if not self.is_running():
            return
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass


@dataclass
class Tier:
    """Two Rasa replicas (A, B), each with its own action server, sharing PostgreSQL and Redis."""

    token: str
    content_dir: Path
    services: dict[str, Service] = field(default_factory=dict)

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in RASA_PORTS]

    def base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "PYTHONPATH": str(ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DATABASE_URL": pg_url(CONTENT_DB),
            "TRACKER_STORE_URL": pg_url(TRACKER_DB),
            "CONTENT_DIR": str(self.content_dir),
            # Shared by the replicas: the lock store and (when the channel uses it) the rate limiter.
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/{REDIS_DB}",
            "SCALE_TRACKER_STORE_URL": pg_url(TRACKER_DB),
            "SCALE_REDIS_HOST": "127.0.0.1",
            "SCALE_REDIS_PORT": str(REDIS_PORT),
            "SCALE_REDIS_DB": str(REDIS_DB),
        })
        return env

    def build(self) -> None:
        self.services["redis"] = Service(
            "redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no", "--daemonize", "no"],
            self.base_env(), "", 10)
        for index, (rasa_port, action_port) in enumerate(zip(RASA_PORTS, ACTION_PORTS)):
            letter = "ab"[index]
            self.services[f"actions_{letter}"] = Service(
                f"actions_{letter}",
                [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(action_port), "--actions", "actions"],
                self.base_env(), f"http://127.0.0.1:{action_port}/health", 120)
            env = self.base_env()
            env["SCALE_ACTION_ENDPOINT_URL"] = f"http://127.0.0.1:{action_port}/webhook"
            self.services[f"rasa_{letter}"] = Service(
                f"rasa_{letter}",
                [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(rasa_port),
                 "--interface", "127.0.0.1", "--endpoints", str(ENDPOINTS), "--credentials", str(CREDENTIALS),
                 "--enable-api", "--auth-token", self.token],
                env, f"http://127.0.0.1:{rasa_port}/", RASA_READY_SECONDS)

    # -- Redis: our own server on 6390, so the shared 6379 is never touched ------------------------------
    def redis_up(self) -> bool:
        return subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG"

    def start_redis(self) -> None:
        self.services["redis"].start()
        for _ in range(100):
            if self.redis_up():
                subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "-n", str(REDIS_DB), "flushdb"],
                               check=True, capture_output=True)
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start on 6390")

    # -- start and stop ----------------------------------------------------------------------------------
    def start(self) -> None:
        prepare_databases()
        self.build()
        self.start_redis()
        for name in ("actions_a", "actions_b", "rasa_a", "rasa_b"):
            self.services[name].start()
        for name in ("actions_a", "actions_b", "rasa_a", "rasa_b"):
            self.services[name].wait_ready()

    def restart(self, name: str) -> None:
        service = self.services[name]
        service.stop()
        if name == "redis":
            self.start_redis()
            return
        service.start()
        service.wait_ready()

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            try:
                service.stop()
            except Exception:  # keep stopping the others
                pass

    # -- talking to the replicas -------------------------------------------------------------------------
    def say(self, replica: int, sender: str, message: str, timeout: float = 120) -> list[dict[str, Any]]:
        """POST one message to the REST channel of replica 0 (A) or 1 (B); the JSON list of replies."""
        response = requests.post(f"{self.rasa_urls[replica]}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": message}, timeout=timeout)
        assert response.status_code < 500, (response.status_code, response.text[:500])
        body = response.json()
        assert isinstance(body, list), body
        return body

    def tracker(self, sender: str, replica: int = 0) -> dict[str, Any]:
        response = requests.get(f"{self.rasa_urls[replica]}/conversations/{sender}/tracker",
                                params={"token": self.token}, timeout=60)
        response.raise_for_status()
        return response.json()


def prepare_databases() -> None:
    """Fresh databases for this run: the Local Offer content (migrated, loaded) and the tracker store."""
    recreate_database(CONTENT_DB)
    recreate_database(TRACKER_DB)
    env = dict(os.environ, DATABASE_URL=pg_url(CONTENT_DB), PYTHONPATH=str(ROOT),
               SQLALCHEMY_SILENCE_UBER_WARNING="1")
    python = str(VENV_BIN / "python")
    subprocess.run([python, "-m", "bot", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([python, "-m", "bot", "load", str(ROOT / "data" / "local_offer")], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    # Rasa creates its tables on start; two replicas starting at once would race on CREATE TABLE, so the
    # tracker schema is made once here, by Rasa's own code.
    subprocess.run([python, "-c", "import sys; from rasa.core.tracker_store import SQLTrackerStore; "
                    "SQLTrackerStore(dialect='postgresql', host=sys.argv[1])", pg_url(TRACKER_DB)],
                   cwd=ROOT, env=dict(env, RASA_TELEMETRY_ENABLED="false"), check=True, capture_output=True)


def closed_helpline_content(target: Path) -> Path:
    """A copy of data/local_offer whose helpline is never open, so handoffs always offer a callback.

    Why: the tests must not depend on the hour they run at. Only the action servers read this copy
    (CONTENT_DIR); the database is loaded from the real content."""
    shutil.copytree(ROOT / "data" / "local_offer", target)
    path = target / "helpline.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    every_day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    data["opening_hours"] = [{"days": every_day, "opens_at": "00:00", "closes_at": "00:00"}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def new_sender(prefix: str) -> str:
    return f"scale-{prefix}-{uuid4().hex[:12]}"


def texts(replies: list[dict[str, Any]]) -> str:
    """Every reply's text joined, for assertions about what the family read."""
    return "\n".join(str(reply.get("text") or "") for reply in replies)


def user_texts(tracker: dict[str, Any]) -> list[str]:
    return [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]


def wait_until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
