"""The spool under faults (bot/insight/spool.py): questions asked while the database is down reach the inbox exactly
once when it is back, whatever crashes or races in between, and nothing that cannot be loaded is dropped.

Why fault tests: the spool only matters on the worst day (the database down), which no ordinary test sees.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

import bot.insight.spool as spool
from bot.config import get_settings
from bot.db import models as m
from bot.db.session import dispose_engines, session_scope
from bot.insight.review import flush_spool, hash_sender, record_unanswered
from bot.privacy.purge import purge

QUESTIONS = ["can my child get transport to a special school", "what is a personal budget",
             "who pays for speech therapy", "my email is jo@example.com, help with a tribunal"]


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "spool"
    monkeypatch.setenv("SPOOL_DIR", str(folder))
    return folder


def _database(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()


def _down_url(tmp_path: Path) -> str:
    """A database that cannot be opened: its folder is a plain file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    return f"sqlite:///{blocker / 'local_offer.db'}"


def _inbox(url: str, sender: str) -> list[str]:
    with session_scope(url) as session:
        query = select(m.UnansweredQuestion.text_redacted).where(m.UnansweredQuestion.sender_hash == hash_sender(sender))
        return sorted(session.execute(query).scalars())


def _spool_while_down(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str, sender: str) -> None:
    _database(monkeypatch, _down_url(tmp_path))
    assert [record_unanswered(sender, text, "fallback") for text in QUESTIONS] == [False] * len(QUESTIONS)
    _database(monkeypatch, database_url)


def test_questions_asked_while_the_database_is_down_arrive_exactly_once(
        database_url: str, spool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _database(monkeypatch, _down_url(tmp_path))
    for text in QUESTIONS:
        assert record_unanswered("down-family", text, "fallback", [{"name": "annual_review", "confidence": 0.3}]) is False
    assert len((spool_dir / spool.LIVE_NAME).read_text().splitlines()) == len(QUESTIONS)
    with pytest.raises((SQLAlchemyError, OSError)):  # the fake down database is a path under a file
        spool.flush()  # still down: the flush fails and keeps every record
    assert sum(len(p.read_text().splitlines()) for p in spool.spool_files()) == len(QUESTIONS)

    _database(monkeypatch, database_url)
    assert flush_spool() == len(QUESTIONS)
    assert flush_spool() == 0  # flushed twice: nothing twice
    stored = _inbox(database_url, "down-family")
    assert len(stored) == len(QUESTIONS)
    assert "jo@example.com" not in " ".join(stored)  # redacted before it was spooled
    assert spool.spool_files() == []


def test_a_crash_between_commit_and_delete_adds_nothing_twice(
        database_url: str, spool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _spool_while_down(monkeypatch, tmp_path, database_url, "crash-family")

    class Crash(BaseException):
        """The process dies (a kill, not an exception the flush could handle)."""

    real_load = spool._load

    def load_then_die(claim: Path, url: str | None) -> spool.FlushResult:
        real_load(claim, url)
        raise Crash

    monkeypatch.setattr(spool, "_load", load_then_die)
    with pytest.raises(Crash):
        spool.flush()
    monkeypatch.setattr(spool, "_load", real_load)
    assert len(_inbox(database_url, "crash-family")) == len(QUESTIONS)
    (claim,) = spool_dir.glob("claim-*.jsonl")  # left behind by the dead flush

    assert spool.flush().loaded == 0 and claim.exists()  # a fresh claim may be another replica's: left alone
    result = spool.flush(stale_after=0)  # once stale, taken over: every record is already in
    assert (result.loaded, result.already) == (0, len(QUESTIONS))
    assert len(_inbox(database_url, "crash-family")) == len(QUESTIONS)
    assert spool.spool_files() == []


def test_lines_that_cannot_be_loaded_are_kept_in_a_failed_file(
        database_url: str, spool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _spool_while_down(monkeypatch, tmp_path, database_url, "odd-family")
    with (spool_dir / spool.LIVE_NAME).open("a") as handle:
        handle.write("{not json\n")
        handle.write('{"sender_hash": "x", "reason": "fallback"}\n')  # no text
    refused = QUESTIONS[1]
    real_insert = spool.record_unanswered_question

    def refuse_one(session, **fields):  # type: ignore[no-untyped-def]
        if fields["text_redacted"] == refused:
            raise IntegrityError("INSERT", {}, Exception("refused by the database"))
        return real_insert(session, **fields)

    monkeypatch.setattr(spool, "record_unanswered_question", refuse_one)
    result = spool.flush()
    assert (result.loaded, result.failed) == (len(QUESTIONS) - 1, 3)
    stored = _inbox(database_url, "odd-family")
    assert len(stored) == len(QUESTIONS) - 1 and refused not in stored
    (failed,) = result.failed_files
    kept = failed.read_text()
    assert "{not json" in kept and '"reason": "fallback"}' in kept and refused in kept
    assert [p.name for p in spool.spool_files()] == [failed.name]  # only the .failed file is left


def _flush_repeatedly(folder: str, url: str, seconds: float) -> None:
    """Another action-server replica sharing the spool volume."""
    dispose_engines()  # never use the parent's connections after a fork
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        spool.flush(Path(folder))
        time.sleep(0.005)


def test_two_replicas_flushing_while_questions_are_spooled_load_each_once(
        database_url: str, spool_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _database(monkeypatch, database_url)
    dispose_engines()
    context = multiprocessing.get_context("fork")
    replicas = [context.Process(target=_flush_repeatedly, args=(str(spool_dir), database_url, 3.0)) for _ in range(2)]
    for replica in replicas:
        replica.start()
    expected = 150
    for number in range(expected):
        spool.append({"sender_hash": hash_sender("race-family"), "text_redacted": f"question {number}",
                      "reason": "fallback", "intent": None, "confidence": None, "ranking": [], "topic": None})
    for replica in replicas:
        replica.join(30)
        assert replica.exitcode == 0
    spool.flush(stale_after=0)
    stored = _inbox(database_url, "race-family")
    assert len(stored) == expected and len(set(stored)) == expected
    assert spool.spool_files() == []


def test_the_purge_removes_spool_files_past_retention(database_url: str, spool_dir: Path) -> None:
    spool_dir.mkdir(parents=True)
    old, recent = spool_dir / "batch-old.jsonl", spool_dir / spool.LIVE_NAME
    old.write_text('{"a": 1}\n{"a": 2}\n')
    (spool_dir / "claim-1-old.failed").write_text('{"a": 3}\n')
    recent.write_text('{"a": 4}\n')
    (spool_dir / "notes.txt").write_text("not ours")
    long_ago = time.time() - 100 * 86400
    for path in (old, spool_dir / "claim-1-old.failed", spool_dir / "notes.txt"):
        os.utime(path, (long_ago, long_ago))
    tracker = f"sqlite:///{spool_dir / 'no-tracker.db'}"

    dry = purge(database_url, tracker, timedelta(days=90), dry_run=True, spool_dir=spool_dir)
    assert dry.spool.counts == {"spool_files": 2, "spool_records": 3} and old.exists()
    report = purge(database_url, tracker, timedelta(days=90), spool_dir=spool_dir)
    assert report.spool.counts == {"spool_files": 2, "spool_records": 3} and not report.failed
    assert sorted(p.name for p in spool_dir.iterdir()) == ["notes.txt", spool.LIVE_NAME]


def test_the_action_server_flusher_loads_the_spool_at_start(
        database_url: str, spool_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from actions.startup import attach_to_action_server, start_spool_flusher

    assert attach_to_action_server() is False  # no rasa-sdk app in this process: nothing is started
    _spool_while_down(monkeypatch, tmp_path, database_url, "startup-family")
    start_spool_flusher(interval=0).join(30)  # 0: the start-up flush only
    assert len(_inbox(database_url, "startup-family")) == len(QUESTIONS)
    assert spool.spool_files() == []


def test_a_spool_file_from_before_keys_loads_once(database_url: str, spool_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines written by the old code have no spool_key: the line itself gives one, so it still loads once."""
    _database(monkeypatch, database_url)
    spool_dir.mkdir(parents=True)
    line = ('{"sender_hash": "%s", "text_redacted": "old spool line", "reason": "fallback", "intent": null, '
            '"confidence": null, "ranking": [], "topic": null, "created_at": "%s"}\n'
            % (hash_sender("old-family"), datetime(2026, 11, 30, 9, 0).isoformat()))
    (spool_dir / spool.LIVE_NAME).write_text(line)
    assert spool.flush().loaded == 1
    (spool_dir / spool.LIVE_NAME).write_text(line)  # the same file again (restored from a backup, say)
    assert spool.flush().already == 1
    assert _inbox(database_url, "old-family") == ["old spool line"]
    with session_scope(database_url) as session:
        assert session.execute(select(func.count()).select_from(m.UnansweredQuestion)
                               .where(m.UnansweredQuestion.text_redacted == "old spool line")).scalar_one() == 1
