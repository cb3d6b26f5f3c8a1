"""The retention purge behind `python -m bot purge`: what families told the assistant is kept for
RETENTION_DAYS (90) and then deleted, as the privacy notice (/privacy) promises.

Why two stores and two transactions: conversations live in Rasa's tracker store (TRACKER_STORE_URL) and
everything the assistant saved for staff lives in the Local Offer database (DATABASE_URL). Each is purged in
one transaction of its own, so a store is either fully purged or untouched, and a fault in one does not stop
the other from being purged. The audit log is never purged; a purge adds one entry to it (when the table
exists) in the same transaction as the deletions it records. The spool (bot/insight/spool.py: questions saved while
the database was down, and lines it could not load) is aged out too: files last written before the cutoff
are deleted. Run daily (docs/retention.md).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine

from bot.db.queries.audit import record_audit
from bot.db.queries.purge import (
    TRACKER_EVENTS,
    count_personal_rows_before,
    count_stale_conversations,
    delete_personal_rows_before,
    delete_stale_conversations,
    has_table,
)
from bot.db.session import session_scope
from bot.insight.spool import purge_older_than as purge_spool_before

logger = logging.getLogger(__name__)

_AGE = re.compile(r"(\d{1,6})\s*([dw]?)", re.IGNORECASE | re.ASCII)
MAX_DAYS = 36500

LABELS = {
    "unanswered_questions": "unanswered questions",
    "feedback": "feedback answers",
    "handoff_requests": "handoff and callback requests (with transcripts and contact details)",
}
SPOOL_LABEL = "spooled unanswered questions (files in the spool directory)"


class AgeError(ValueError):
    """An --older-than value we cannot read; the message says what would work."""


def parse_age(text: str) -> timedelta:
    """'90d', '12w' or '90' (days) as a timedelta. Zero is refused: 'delete everything' must never be one typo away."""
    match = _AGE.fullmatch((text or "").strip())
    if not match:
        raise AgeError(f"'{text}' is not an age. Use days or weeks, for example 90d or 12w.")
    number, unit = int(match.group(1)), (match.group(2) or "d").lower()
    days = number * 7 if unit == "w" else number
    if days < 1:
        raise AgeError("The age must be at least 1 day (for example 90d).")
    if days > MAX_DAYS:
        raise AgeError(f"The age must be at most {MAX_DAYS} days.")
    return timedelta(days=days)


@dataclass
class StoreResult:
    counts: dict[str, int] = field(default_factory=dict)
    note: str = ""  # why nothing was done (no table), or the error that stopped this store
    failed: bool = False


@dataclass
class PurgeReport:
    cutoff: datetime  # naive UTC, like the created_at columns
    dry_run: bool
    tracker: StoreResult
    database: StoreResult
    audited: bool = False
    spool: StoreResult = field(default_factory=StoreResult)

    @property
    def failed(self) -> bool:
        return self.tracker.failed or self.database.failed or self.spool.failed


def purge(database_url: str, tracker_store_url: str, older_than: timedelta, dry_run: bool = False,
          now: datetime | None = None, spool_dir: Path | None = None) -> PurgeReport:
    """Delete (or with dry_run, count) everything older than `older_than` before `now` (UTC). The spool is
    `spool_dir`, by default SPOOL_DIR or var/spool (bot.insight.spool.spool_dir)."""
    cutoff = (now or datetime.utcnow()) - older_than
    tracker = _purge_tracker(tracker_store_url, cutoff, dry_run)
    report = PurgeReport(cutoff=cutoff, dry_run=dry_run, tracker=tracker, database=StoreResult())
    report.spool = _purge_spool(spool_dir, cutoff, dry_run)  # before the database, so its audit entry counts it
    _purge_database(database_url, report, older_than)
    return report


def _purge_spool(spool_dir: Path | None, cutoff: datetime, dry_run: bool) -> StoreResult:
    try:
        return StoreResult(purge_spool_before(cutoff, spool_dir, dry_run=dry_run))
    except OSError as error:
        logger.debug("Purging the spool failed", exc_info=True)
        return StoreResult(note=f"not purged: {type(error).__name__}: {str(error)[:200]}", failed=True)


def _purge_tracker(url: str, cutoff: datetime, dry_run: bool) -> StoreResult:
    if url.startswith("sqlite:///") and ":memory:" not in url and not Path(url[len("sqlite:///"):]).exists():
        return StoreResult(note="there is no tracker store file yet")
    cutoff_epoch = cutoff.replace(tzinfo=timezone.utc).timestamp()
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:  # one transaction: every stale conversation goes, or none does
            if not has_table(connection, TRACKER_EVENTS):
                return StoreResult(note=f"the tracker store has no '{TRACKER_EVENTS}' table")
            if dry_run:
                conversations, events = count_stale_conversations(connection, cutoff_epoch)
            else:
                conversations, events = delete_stale_conversations(connection, cutoff_epoch)
        return StoreResult({"conversations": conversations, "events": events})
    except Exception as error:  # report it and still purge the other store
        logger.debug("Purging the tracker store failed", exc_info=True)
        return StoreResult(note=f"not purged: {type(error).__name__}: {str(error).splitlines()[0][:200]}",
                           failed=True)
    finally:
        engine.dispose()


def _purge_database(url: str, report: PurgeReport, older_than: timedelta) -> None:
    result = report.database
    try:
        with session_scope(url) as session:  # one transaction: the deletions and their audit entry together
            if report.dry_run:
                result.counts = count_personal_rows_before(session, report.cutoff)
                return
            result.counts = delete_personal_rows_before(session, report.cutoff)
            if has_table(session.connection(), "audit_event"):
                record_audit(session, actor="purge", action="retention_purge",
                             target=f"older than {older_than.days} days",
                             detail={"cutoff": report.cutoff.isoformat(timespec="seconds"),
                                     **result.counts, **{f"tracker_{k}": v for k, v in report.tracker.counts.items()},
                                     **report.spool.counts,
                                     **({"tracker_note": report.tracker.note} if report.tracker.note else {})})
                report.audited = True
    except Exception as error:
        logger.debug("Purging the Local Offer database failed", exc_info=True)
        report.audited = False
        result.counts = {}
        result.note = f"not purged: {type(error).__name__}: {str(error).splitlines()[0][:200]}"
        result.failed = True


def format_report(report: PurgeReport, older_than: timedelta) -> str:
    """What was (or, with --dry-run, would be) removed, in plain words for the person reading cron mail."""
    verb = "would be removed" if report.dry_run else "removed"
    lines = [f"Retention purge: everything older than {older_than.days} days "
             f"(before {report.cutoff:%Y-%m-%d %H:%M} UTC)."]
    if report.tracker.note:
        lines.append(f"  Conversations (tracker store): {report.tracker.note}.")
    else:
        lines.append(f"  Conversations (tracker store): {report.tracker.counts['conversations']} conversations, "
                     f"{report.tracker.counts['events']} events {verb}.")
    if report.database.note:
        lines.append(f"  Local Offer database: {report.database.note}.")
    for key, label in LABELS.items():
        if key in report.database.counts:
            lines.append(f"  {label[0].upper() + label[1:]}: {report.database.counts[key]} {verb}.")
    if report.spool.note:
        lines.append(f"  Spool: {report.spool.note}.")
    elif report.spool.counts.get("spool_files"):
        lines.append(f"  {SPOOL_LABEL[0].upper() + SPOOL_LABEL[1:]}: {report.spool.counts['spool_files']} files "
                     f"({report.spool.counts['spool_records']} lines) {verb}.")
    if report.dry_run:
        lines.append("Nothing was deleted (--dry-run).")
    elif report.audited:
        lines.append("One entry was added to the audit log.")
    return "\n".join(lines)
