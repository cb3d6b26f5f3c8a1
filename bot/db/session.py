"""The engine and the one place that owns commit and rollback.

Why lazy: importing the package must never connect (tests, the CLI's --help and the action server's
start-up all import it). The engine is made on first use from DATABASE_URL and kept per URL.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import get_settings

_engines: dict[str, Engine] = {}


def _prepare_sqlite_file(url: str) -> None:
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: the configured DATABASE_URL), created once."""
    url = url or get_settings().database_url
    if url not in _engines:
        _prepare_sqlite_file(url)
        kwargs: dict[str, Any] = {"future": True, "pool_pre_ping": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_pragmas)
        _engines[url] = engine
    return _engines[url]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # DB-API objects: no common type
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def dispose_engines() -> None:
    """Forget every engine (tests switch databases; forked servers must not share connections)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits if the block succeeds and rolls back if it raises: the only commit point."""
    factory = sessionmaker(bind=get_engine(url), future=True, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
