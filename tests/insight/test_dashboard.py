"""Dashboard figures from a Rasa-shaped `events` table in a temporary SQLite tracker, and from our own tables."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, insert

from bot.db import models as m
from bot.db.queries.dashboard import TurnEvent, dispose_tracker_engines
from bot.db.session import session_scope
from bot.insight.dashboard import DateRange, build_dashboard, default_range, local_day, parse_range, summarise_turns

TZ = "Europe/London"


def epoch(*args: int) -> float:
    return datetime(*args, tzinfo=timezone.utc).timestamp()


def make_tracker(path: Path, rows: list[dict]) -> str:
    """An `events` table with the columns of Rasa 3.6's SQLTrackerStore."""
    url = f"sqlite:///{path}"
    engine = create_engine(url, future=True)
    meta = MetaData()
    events = Table("events", meta, Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
                   Column("type_name", String(255)), Column("timestamp", Float), Column("intent_name", String(255)),
                   Column("action_name", String(255)), Column("data", Text))
    meta.create_all(engine)
    with engine.begin() as connection:
        if rows:
            connection.execute(insert(events), [{"data": "{}", "intent_name": None, "action_name": None, **r}
                                                for r in rows])
    engine.dispose()
    return url


def user(sender: str, ts: float, intent: str) -> dict:
    return {"sender_id": sender, "type_name": "user", "timestamp": ts, "intent_name": intent}


def action(sender: str, ts: float, name: str) -> dict:
    return {"sender_id": sender, "type_name": "action", "timestamp": ts, "action_name": name}


ROWS = [
    # Family a, 1 March: a question answered, then one the classifier could not place.
    action("a", epoch(2026, 3, 1, 9, 0), "action_session_start"),
    user("a", epoch(2026, 3, 1, 9, 1), "annual_review"),
    action("a", epoch(2026, 3, 1, 9, 1, 1), "action_guidance"),
    action("a", epoch(2026, 3, 1, 9, 1, 2), "action_listen"),
    user("a", epoch(2026, 3, 1, 9, 2), "nlu_fallback"),
    action("a", epoch(2026, 3, 1, 9, 2, 1), "action_fallback"),
    # Family b, 1 March: classified, but the policy fell back.
    user("b", epoch(2026, 3, 1, 10, 0), "school_transport"),
    action("b", epoch(2026, 3, 1, 10, 0, 1), "action_default_fallback"),
    # Family b again on 2 March (23:30 UTC on 1 March is not yet 2 March: GMT in March).
    user("b", epoch(2026, 3, 1, 23, 30), "annual_review"),
    user("b", epoch(2026, 3, 2, 8, 0), "annual_review"),
    action("b", epoch(2026, 3, 2, 8, 0, 1), "action_guidance"),
    # Outside the range.
    user("c", epoch(2026, 2, 27, 12, 0), "greet"),
    {"sender_id": "a", "type_name": "slot", "timestamp": epoch(2026, 3, 1, 9, 1), "intent_name": None},
]


@pytest.fixture(autouse=True)
def _fresh_engines():
    yield
    dispose_tracker_engines()


def test_summarise_turns_counts_fallbacks_by_intent_or_action() -> None:
    events = [TurnEvent(r["sender_id"], r["type_name"], r["timestamp"], r.get("intent_name"), r.get("action_name"))
              for r in sorted(ROWS[:-2], key=lambda r: r["sender_id"])]
    stats = summarise_turns(events, TZ)
    assert stats.turns == 5
    assert stats.fallbacks == 2
    assert dict(stats.topics) == {"annual_review": 3, "school_transport": 1}
    assert dict(stats.questions) == {date(2026, 3, 1): 4, date(2026, 3, 2): 1}
    assert stats.conversations[date(2026, 3, 1)] == {"a", "b"}


def test_uk_days_follow_british_summer_time() -> None:
    assert local_day(epoch(2026, 3, 1, 23, 30), TZ) == date(2026, 3, 1)  # GMT
    assert local_day(epoch(2026, 7, 1, 23, 30), TZ) == date(2026, 7, 2)  # BST: already tomorrow
    assert local_day(datetime(2026, 7, 1, 23, 30), TZ) == date(2026, 7, 2)  # naive datetimes are UTC
    start, end = DateRange(date(2026, 7, 1), date(2026, 7, 1)).utc_bounds(TZ)
    assert start == datetime(2026, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 7, 1, 23, 0, tzinfo=timezone.utc)


def test_parse_range() -> None:
    today = date(2026, 3, 31)
    assert parse_range(None, None, today) == (DateRange(date(2026, 3, 2), today), {})
    assert default_range(today).days[0] == date(2026, 3, 2) and len(default_range(today).days) == 30
    assert parse_range("2026-03-01", "2026-03-02", today) == (DateRange(date(2026, 3, 1), date(2026, 3, 2)), {})
    period, errors = parse_range("2026-02-30", "", today)
    assert period == default_range(today) and "real date" in errors["start"]
    assert "after the start" in parse_range("2026-03-05", "2026-03-01", today)[1]["end"]
    assert "366 days or fewer" in parse_range("2020-01-01", "2026-03-01", today)[1]["start"]


def test_dashboard_reads_tracker_and_our_tables(database_url: str, tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db", ROWS)
    with session_scope(database_url) as session:
        session.execute(m.Feedback.__table__.delete())
        session.execute(m.HandoffRequest.__table__.delete())
        session.add_all([
            m.Feedback(created_at=datetime(2026, 3, 1, 9, 5), sender_hash="h", topic="annual_review", helpful=True),
            m.Feedback(created_at=datetime(2026, 3, 1, 9, 6), sender_hash="h", topic="annual_review", helpful=True),
            m.Feedback(created_at=datetime(2026, 3, 2, 9, 0), sender_hash="h", topic="annual_review", helpful=False),
            m.Feedback(created_at=datetime(2026, 2, 1, 9, 0), sender_hash="h", topic="x", helpful=False),
            m.HandoffRequest(reference="ABC123", created_at=datetime(2026, 3, 2, 12, 0), conversation_id="b",
                             reason="asked", kind="contact"),
        ])
        session.execute(m.UnansweredQuestion.__table__.delete())
        session.add_all([_unanswered(reason, day) for reason, day in [
            ("fallback", 1), ("fallback", 2), ("out_of_scope", 1), ("not_helped", 2), ("handoff", 2),
            ("handoff", 2), ("handoff", 2), ("fallback", 28)]])  # the last is in February: outside the range
    with session_scope(database_url) as session:
        board = build_dashboard(session, tracker, DateRange(date(2026, 3, 1), date(2026, 3, 2)), TZ)
    assert board.tracker_problem is None
    assert board.conversations.values == ((date(2026, 3, 1), 2), (date(2026, 3, 2), 1))
    assert board.questions.values == ((date(2026, 3, 1), 4), (date(2026, 3, 2), 1))
    assert board.top_topics == (("annual_review", 3), ("school_transport", 1))
    assert (board.fallback.hits, board.fallback.total, board.fallback.percent) == (2, 5, 40.0)
    assert (board.helpful.hits, board.helpful.total, board.helpful.percent) == (2, 3, 66.7)
    assert board.helpful_by_day == ((date(2026, 3, 1), 2, 0), (date(2026, 3, 2), 0, 1))
    assert board.handoffs.values == ((date(2026, 3, 1), 0), (date(2026, 3, 2), 1))
    # Issue #17 item 9: each kind of inbox question under its own name, not one "fallback" figure for all.
    assert [(k.reason, k.label, k.count) for k in board.inbox] == [
        ("fallback", "Not understood", 2), ("out_of_scope", "Out of scope", 1),
        ("not_helped", "Answer did not help", 1), ("no_match", "No service found", 0),
        ("handoff", "Asked for a person", 3)]
    assert board.fallback.hits == 2  # the tracker's own count of not-understood turns, unchanged by the inbox


def _unanswered(reason: str, day: int) -> m.UnansweredQuestion:
    month = 3 if day < 28 else 2
    return m.UnansweredQuestion(created_at=datetime(2026, month, day, 12, 0), sender_hash="h", text_redacted="q",
                                reason=reason, ranking=[], status="new")


@pytest.mark.parametrize("kind", ["missing file", "no events table"])
def test_no_tracker_yet_gives_zeros_and_says_so(database_url: str, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "tracker.db"
    if kind == "no events table":
        engine = create_engine(f"sqlite:///{path}", future=True)
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE other (x int)")
        engine.dispose()
    with session_scope(database_url) as session:
        board = build_dashboard(session, f"sqlite:///{path}", DateRange(date(2026, 3, 1), date(2026, 3, 3)), TZ)
    assert board.tracker_problem
    assert board.conversations.total == 0 and len(board.conversations.values) == 3
    assert board.fallback.percent is None
    assert len(board.inbox) == 5  # from the Local Offer database: counted whether or not Rasa has run
    assert path.exists() == (kind == "no events table")  # reading never creates the tracker file


def test_tracker_file_is_opened_read_only(database_url: str, tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db", ROWS)
    before = (tmp_path / "tracker.db").read_bytes()
    with session_scope(database_url) as session:
        build_dashboard(session, tracker, DateRange(date(2026, 3, 1), date(2026, 3, 2)), TZ)
    assert (tmp_path / "tracker.db").read_bytes() == before
    assert not (tmp_path / "tracker.db-wal").exists()
