"""Start-up work for the action server: load the spool of unanswered questions (bot/insight/spool.py) when the
server starts and every SPOOL_FLUSH_SECONDS (60) after, so questions saved while the database was down reach
the officers' inbox without anyone running a command.

Why a Sanic listener: rasa-sdk creates its Sanic app ("rasa_sdk") and only then imports this package, so
the listener is attached only in a real action server; tests and tools that import `actions` start nothing.
Why a daemon thread: a flush is blocking database work and must never hold up the event loop that answers
Rasa. With several workers, Sanic's main process runs it once; with several replicas sharing the spool
volume, each flush claims files by an atomic rename, so they never load the same file twice.
"""
from __future__ import annotations

import logging
import os
import threading

from bot.insight.spool import flush

log = logging.getLogger(__name__)
DEFAULT_INTERVAL = 60.0
SANIC_APP_NAME = "rasa_sdk"

_started: threading.Thread | None = None
_start_lock = threading.Lock()


def flush_interval() -> float:
    """SPOOL_FLUSH_SECONDS; 0 means flush once at start-up and never again."""
    try:
        return max(0.0, float(os.environ.get("SPOOL_FLUSH_SECONDS", DEFAULT_INTERVAL)))
    except ValueError:
        log.warning("SPOOL_FLUSH_SECONDS is not a number; using %s", DEFAULT_INTERVAL)
        return DEFAULT_INTERVAL


def _flush_once() -> None:
    try:
        flush()
    except Exception:  # the database is still down, most likely: the records stay spooled
        log.warning("Could not load the spool yet; will try again", exc_info=True)


def _run(interval: float, stop: threading.Event) -> None:
    _flush_once()
    while interval and not stop.wait(interval):
        _flush_once()


def start_spool_flusher(interval: float | None = None, stop: threading.Event | None = None) -> threading.Thread:
    """Start the flushing thread once per process (a second call returns the running thread)."""
    global _started
    with _start_lock:
        if _started is None or not _started.is_alive():
            _started = threading.Thread(target=_run, args=(flush_interval() if interval is None else interval,
                                                           stop or threading.Event()),
                                        name="spool-flusher", daemon=True)
            _started.start()
        return _started


def attach_to_action_server() -> bool:
    """Have rasa-sdk's Sanic app start the flusher; False (and nothing started) outside an action server."""
    try:
        from sanic import Sanic
        from sanic.exceptions import SanicException
    except ImportError:
        return False
    try:
        app = Sanic.get_app(SANIC_APP_NAME)
    except SanicException:
        return False

    async def _start(*_args: object) -> None:
        start_spool_flusher()

    app.register_listener(_start, "main_process_start")
    return True
