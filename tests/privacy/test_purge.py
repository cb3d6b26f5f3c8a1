"""`python -m bot purge`: retention on a real, migrated database (SQLite, and PostgreSQL with TEST_DATABASE_URL),
with a tracker `events` table shaped exactly like Rasa 3.6's SQLTrackerStore's."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, func, select

from bot.cli.main import main
from bot.db import models as m
from bot.db.session import session_scope
from bot.privacy.purge import AgeError, parse_age, purge

NOW = datetime.utcnow().replace(microsecond=0)  # the CLI has no --now, so the fixtures are relative to the clock

# Rasa's SQLTrackerStore.SQLEvent, column for column (rasa/core/tracker_store.py).
_rasa_metadata = MetaData()
EVENTS = Table(
    "events", _rasa_metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def _epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def _add_conversation(url: str, sender: str, *ages_in_days: float) -> None:
    engine = create_engine(url, future=True)
    with engine.begin() as connection:
        for age in ages_in_days:
            connection.execute(EVENTS.insert().values(
                sender_id=sender, type_name="user", timestamp=_epoch(NOW - timedelta(days=age)),
                intent_name="greet", data=json.dumps({"event": "user", "text": "my son Tom, 07700 900123"})))
    engine.dispose()


def _events_by_sender(url: str) -> dict[str, int]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(select(EVENTS.c.sender_id, func.count()).group_by(EVENTS.c.sender_id)).all()
    engine.dispose()
    return {sender: count for sender, count in rows}


@pytest.fixture
def stores(database_url: str) -> tuple[str, str]:
    """The Local Offer database with old and recent rows of every kind, and a tracker store (the same
    database: Rasa's `events` table sits beside ours, as it may in production) with three conversations."""
    engine = create_engine(database_url, future=True)
    EVENTS.drop(engine, checkfirst=True)
    EVENTS.create(engine)
    engine.dispose()
    with session_scope(database_url) as session:
        for model in (m.UnansweredQuestion, m.Feedback, m.HandoffRequest, m.AuditEvent):
            session.execute(delete(model))
        for age, tag in ((120, "old"), (91, "old2"), (89, "new"), (1, "new2")):
            created = NOW - timedelta(days=age)
            session.add(m.UnansweredQuestion(created_at=created, sender_hash="h" * 64, text_redacted=tag,
                                             reason="fallback", ranking=[]))
            session.add(m.Feedback(created_at=created, sender_hash="h" * 64, topic="ehcp", helpful=False))
            session.add(m.HandoffRequest(reference=f"LO-{tag.upper():0<6}"[:9], created_at=created,
                                         conversation_id=f"conv-{tag}", reason="asked", kind="callback",
                                         first_name="Sam", contact="07700 900123", consent=True,
                                         transcript_redacted=f"user: help ({tag})"))
        session.add(m.AuditEvent(at=NOW - timedelta(days=400), actor="admin", action="user_added", target="x",
                                 detail={}))
    _add_conversation(database_url, "old-conversation", 200, 150, 100)
    _add_conversation(database_url, "came-back", 200, 10)  # the last event is recent: all of it is kept
    _add_conversation(database_url, "recent", 3, 2)
    return database_url, database_url


def _count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_purge_removes_whole_old_conversations_and_old_rows(stores: tuple[str, str]) -> None:
    url, tracker = stores
    report = purge(url, tracker, timedelta(days=90), now=NOW)
    assert not report.failed
    assert report.tracker.counts == {"conversations": 1, "events": 3}
    assert report.database.counts == {"unanswered_questions": 2, "feedback": 2, "handoff_requests": 2}
    assert _events_by_sender(tracker) == {"came-back": 2, "recent": 2}
    with session_scope(url) as session:
        left = [q.text_redacted for q in session.execute(select(m.UnansweredQuestion)).scalars()]
        handoffs = list(session.execute(select(m.HandoffRequest)).scalars())
        assert sorted(left) == ["new", "new2"]
        assert sorted(h.conversation_id for h in handoffs) == ["conv-new", "conv-new2"]
        assert all(h.created_at >= NOW - timedelta(days=90) for h in handoffs)
    assert _count(url, m.Feedback) == 2


def test_purge_keeps_the_audit_log_and_adds_one_entry(stores: tuple[str, str]) -> None:
    url, tracker = stores
    report = purge(url, tracker, timedelta(days=90), now=NOW)
    assert report.audited
    with session_scope(url) as session:
        events = list(session.execute(select(m.AuditEvent).order_by(m.AuditEvent.id)).scalars())
    assert [e.action for e in events] == ["user_added", "retention_purge"]  # the 400-day-old entry is kept
    entry = events[-1]
    assert entry.actor == "purge"
    assert entry.detail["handoff_requests"] == 2
    assert entry.detail["tracker_conversations"] == 1
    assert entry.detail["cutoff"] == (NOW - timedelta(days=90)).isoformat(timespec="seconds")


def test_dry_run_counts_and_deletes_nothing(stores: tuple[str, str]) -> None:
    url, tracker = stores
    report = purge(url, tracker, timedelta(days=90), dry_run=True, now=NOW)
    assert report.tracker.counts == {"conversations": 1, "events": 3}
    assert report.database.counts == {"unanswered_questions": 2, "feedback": 2, "handoff_requests": 2}
    assert not report.audited
    assert _events_by_sender(tracker) == {"old-conversation": 3, "came-back": 2, "recent": 2}
    assert _count(url, m.UnansweredQuestion) == 4
    assert _count(url, m.HandoffRequest) == 4
    assert _count(url, m.AuditEvent) == 1


def test_purging_twice_removes_nothing_more(stores: tuple[str, str]) -> None:
    url, tracker = stores
    purge(url, tracker, timedelta(days=90), now=NOW)
    again = purge(url, tracker, timedelta(days=90), now=NOW)
    assert again.tracker.counts == {"conversations": 0, "events": 0}
    assert set(again.database.counts.values()) == {0}


def test_a_shorter_age_removes_more(stores: tuple[str, str]) -> None:
    url, tracker = stores
    report = purge(url, tracker, timedelta(weeks=1), now=NOW)
    assert report.tracker.counts == {"conversations": 2, "events": 5}
    assert report.database.counts["handoff_requests"] == 3


def test_a_tracker_store_without_the_events_table_is_not_an_error(stores: tuple[str, str], tmp_path: Path) -> None:
    url, _ = stores
    empty = f"sqlite:///{tmp_path / 'empty-tracker.db'}"
    create_engine(empty).connect().close()  # the file exists, with no tables
    report = purge(url, empty, timedelta(days=90), now=NOW)
    assert not report.failed
    assert "no 'events' table" in report.tracker.note
    assert report.database.counts["unanswered_questions"] == 2


def test_a_missing_tracker_file_is_not_created(stores: tuple[str, str], tmp_path: Path) -> None:
    url, _ = stores
    missing = tmp_path / "nowhere" / "tracker.db"
    report = purge(url, f"sqlite:///{missing}", timedelta(days=90), dry_run=True, now=NOW)
    assert not report.failed and "no tracker store file" in report.tracker.note
    assert not missing.exists()


def test_an_unreachable_tracker_store_still_lets_the_database_be_purged(stores: tuple[str, str]) -> None:
    url, _ = stores
    report = purge(url, "postgresql://nobody@127.0.0.1:1/none", timedelta(days=90), now=NOW)
    assert report.failed and report.tracker.failed
    assert report.tracker.note.startswith("not purged: OperationalError")
    assert report.database.counts["handoff_requests"] == 2
    assert report.audited


def test_a_failing_database_is_rolled_back_as_a_whole(stores: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, tracker = stores
    import bot.privacy.purge as purge_module

    def broken_audit(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the audit table is locked")

    monkeypatch.setattr(purge_module, "record_audit", broken_audit)
    report = purge(url, tracker, timedelta(days=90), now=NOW)
    assert report.database.failed and not report.audited
    assert _count(url, m.UnansweredQuestion) == 4  # the deletions went back with the failed audit entry
    assert _count(url, m.HandoffRequest) == 4
    assert report.tracker.counts == {"conversations": 1, "events": 3}  # the other store's transaction stood


# ---- the command line --------------------------------------------------------------------------------

def test_cli_purge_prints_what_it_removed(stores: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    url, tracker = stores
    with session_scope(url) as session:
        session.add(m.UnansweredQuestion(created_at=NOW - timedelta(days=100), sender_hash="h" * 64,
                                         text_redacted="cli-old", reason="fallback", ranking=[]))
    assert main(["--database-url", url, "purge", "--older-than", "90d", "--tracker-store-url", tracker,
                 "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "would be removed" in dry and "Nothing was deleted (--dry-run)." in dry
    assert main(["--database-url", url, "purge", "--older-than", "13w", "--tracker-store-url", tracker]) == 0
    out = capsys.readouterr().out
    assert "older than 91 days" in out
    assert "Conversations (tracker store): 1 conversations, 3 events removed." in out
    assert "Unanswered questions:" in out and "Handoff and callback requests" in out
    assert "One entry was added to the audit log." in out
    with session_scope(url) as session:
        assert "cli-old" not in [q.text_redacted for q in session.execute(select(m.UnansweredQuestion)).scalars()]


def test_cli_purge_defaults_to_retention_days(stores: tuple[str, str], capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import get_settings

    url, tracker = stores
    monkeypatch.setenv("RETENTION_DAYS", "30")
    get_settings.cache_clear()
    try:
        assert main(["--database-url", url, "purge", "--tracker-store-url", tracker, "--dry-run"]) == 0
    finally:
        monkeypatch.delenv("RETENTION_DAYS")
        get_settings.cache_clear()
    assert "older than 30 days" in capsys.readouterr().out


@pytest.mark.parametrize("age", ["0d", "abc", "-5d", "90x", "10y", "99999999d", ""])
def test_cli_refuses_an_age_it_cannot_read(age: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database-url", "sqlite:////nonexistent/never.db", "purge", f"--older-than={age}"]) == 2
    err = capsys.readouterr().err
    assert "90d" in err or "at most" in err


@pytest.mark.parametrize("text, days", [("90d", 90), ("90", 90), ("12w", 84), (" 7D ", 7), ("1w", 7), ("1", 1)])
def test_parse_age(text: str, days: int) -> None:
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["0", "0w", "d", "1.5d", "90 days", "1e3", "\u0669\u0660d"])
def test_parse_age_refuses(text: str) -> None:
    with pytest.raises(AgeError):
        parse_age(text)
