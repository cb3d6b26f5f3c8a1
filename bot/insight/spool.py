"""The spool of unanswered questions: where a question goes when the database cannot take it, and how it
gets back in.

Why this shape: several action-server replicas may share one spool directory (a volume), and a question
must never be lost nor reach the officers' inbox twice. So:

- writers append one JSON line per question to `unanswered.jsonl`, each with a `spool_key` of its own, under
  an exclusive `flock`, and check after locking that the file they opened is still the live one;
- a flush claims the live file by renaming it to a unique `claim-<epoch>-<id>.jsonl` (a rename is atomic,
  so two replicas can never claim the same file), takes the same lock so a writer mid-append finishes
  first, loads the lines in one transaction and only then deletes the claim;
- loading is idempotent: a record whose `spool_key` is already on a row is skipped, so a crash between
  the commit and the delete, or two flushes of the same claim, adds nothing twice;
- a line that cannot be loaded (not JSON, a field the table refuses) is copied to a `.failed` file for a
  person to look at, never dropped; when the database is down the claim is released (renamed to
  `batch-<id>.jsonl`) and the next flush tries again; a claim left by a crashed flush is taken over once it
  is older than `stale_after`.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, StatementError

from bot.config import ROOT
from bot.db import models as m
from bot.db.queries.review import record_unanswered_question
from bot.db.session import session_scope

log = logging.getLogger(__name__)

LIVE_NAME = "unanswered.jsonl"
# Every file the spool may hold; the retention purge looks at these and nothing else in the directory.
SPOOL_PATTERNS = (LIVE_NAME, "claim-*.jsonl", "batch-*.jsonl", "*.failed")
STALE_AFTER = 600.0  # seconds: a claim this old belongs to a flush that died (a real one takes well under)
FIELDS = {"sender_hash", "text_redacted", "reason", "intent", "confidence", "ranking", "topic"}

# One flush at a time in this process (the timer thread and a start-up flush must not overlap); other
# processes are kept apart by the atomic rename of each claim.
_FLUSH_LOCK = threading.Lock()


def spool_dir() -> Path:
    """var/spool under the checkout, or SPOOL_DIR (a mounted volume in deploy/docker-compose.yml)."""
    return Path(os.environ.get("SPOOL_DIR") or ROOT / "var" / "spool")


def append(record: dict[str, Any], directory: Path | None = None) -> str:
    """Append one record to the live spool file; returns its spool key."""
    folder = directory or spool_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = uuid.uuid4().hex
    line = (json.dumps({**record, "spool_key": key, "created_at": datetime.utcnow().isoformat()}) + "\n").encode()
    live = folder / LIVE_NAME
    while True:
        fd = os.open(live, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if _is_live(fd, live):
                os.write(fd, line)
                os.fsync(fd)
                return key
        finally:
            os.close(fd)  # closing releases the lock
        # A flush renamed the file between our open and our lock: write to the new live file instead.


def _is_live(fd: int, live: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(live).st_ino
    except FileNotFoundError:
        return False


@dataclass
class FlushResult:
    loaded: int = 0  # new rows in the inbox
    already: int = 0  # records whose key was already on a row (an earlier flush committed them)
    failed: int = 0  # lines kept in a .failed file
    failed_files: list[Path] = field(default_factory=list)


def flush(
    directory: Path | None = None, stale_after: float = STALE_AFTER, database_url: str | None = None
) -> FlushResult:
    """Load every spooled record into the database. Raises if the database cannot be reached (the records
    stay spooled for the next flush)."""
    folder = directory or spool_dir()
    total = FlushResult()
    if not folder.exists():
        return total
    with _FLUSH_LOCK:
        for claim in _claims(folder, stale_after):
            try:
                result = _load(claim, database_url)
            except Exception:
                _release(claim)
                raise
            total.loaded += result.loaded
            total.already += result.already
            total.failed += result.failed
            total.failed_files += result.failed_files
            claim.unlink(missing_ok=True)
    if total.loaded or total.failed:
        log.info("Spool flushed: %d loaded, %d already loaded, %d kept in .failed files",
                 total.loaded, total.already, total.failed)
    return total


def _claim_name(folder: Path) -> Path:
    return folder / f"claim-{int(time.time())}-{uuid.uuid4().hex}.jsonl"


def _claims(folder: Path, stale_after: float) -> list[Path]:
    """Claim the live file, released batches and stale claims, each by an atomic rename to a name of ours."""
    candidates = [folder / LIVE_NAME, *sorted(folder.glob("batch-*.jsonl"))]
    now = time.time()
    for claim in sorted(folder.glob("claim-*.jsonl")):
        try:
            claimed_at = int(claim.name.split("-")[1])
        except (IndexError, ValueError):
            claimed_at = 0
        if now - claimed_at >= stale_after:
            candidates.append(claim)
    claimed = []
    for candidate in candidates:
        target = _claim_name(folder)
        try:
            os.rename(candidate, target)  # atomic: if another flush took it first, this raises
        except FileNotFoundError:
            continue
        _wait_for_writers(target)
        claimed.append(target)
    return claimed


def _wait_for_writers(path: Path) -> None:
    """A writer that locked the file before our rename finishes its line before we read."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    finally:
        os.close(fd)


def _release(claim: Path) -> None:
    """Give a claim back (the database was down), so this flush or another one tries it again."""
    try:
        os.rename(claim, claim.with_name(f"batch-{uuid.uuid4().hex}.jsonl"))
    except FileNotFoundError:
        pass


def _parse(line: str) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    # Lines spooled before keys existed get one from their own content: the same line, the same key.
    key = str(record.get("spool_key") or hashlib.sha256(line.encode()).hexdigest())[:64]
    fields = {name: record.get(name) for name in FIELDS}
    if not fields["sender_hash"] or fields["text_redacted"] is None or not fields["reason"]:
        raise ValueError("sender_hash, text_redacted and reason are required")
    fields["ranking"] = fields["ranking"] or []
    fields["created_at"] = (
        datetime.fromisoformat(record["created_at"]) if record.get("created_at") else datetime.utcnow()
    )
    return {**fields, "spool_key": key}


def _load(claim: Path, database_url: str | None) -> FlushResult:
    """The whole file in one transaction; if the database refuses one record (not a lost connection), each
    record again in a transaction of its own, so only the refused one is kept aside."""
    result = FlushResult()
    failed_lines: list[str] = []
    parsed: list[tuple[str, dict[str, Any]]] = []
    for line in claim.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        if not line.strip():
            continue
        try:
            parsed.append((line, _parse(line)))
        except (ValueError, TypeError, KeyError) as error:
            log.warning("A spooled line cannot be read (%s); keeping it in a .failed file", error)
            failed_lines.append(line)
    try:
        with session_scope(database_url) as session:
            result.loaded, result.already = _insert(session, [record for _, record in parsed])
    except OperationalError:
        raise  # the database itself is failing: the claim is released and tried again later
    except StatementError:  # a record refused, or another flush inserted a key first (IntegrityError)
        result.loaded = result.already = 0
        for line, record in parsed:
            try:
                with session_scope(database_url) as session:
                    loaded, already = _insert(session, [record])
            except OperationalError:
                raise
            except StatementError as error:
                with session_scope(database_url) as session:
                    if _already_loaded(session, record["spool_key"]):
                        result.already += 1
                        continue
                log.warning("A spooled record was refused (%s); keeping it in a .failed file", type(error).__name__)
                failed_lines.append(line)
                continue
            result.loaded += loaded
            result.already += already
    if failed_lines:
        failed = claim.with_suffix(".failed")
        failed.write_text("\n".join(failed_lines) + "\n", encoding="utf-8", errors="surrogateescape")
        result.failed, result.failed_files = len(failed_lines), [failed]
    return result


def _insert(session: Any, records: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert the records whose key is not on a row yet: (inserted, already there)."""
    loaded = already = 0
    for record in records:
        if _already_loaded(session, record["spool_key"]):
            already += 1
            continue
        record_unanswered_question(session, **record)
        loaded += 1
    return loaded, already


def _already_loaded(session: Any, key: str) -> bool:
    query = select(m.UnansweredQuestion.id).where(m.UnansweredQuestion.spool_key == key).limit(1)
    return session.execute(query).first() is not None


def spool_files(directory: Path | None = None) -> list[Path]:
    folder = directory or spool_dir()
    if not folder.exists():
        return []
    return sorted({path for pattern in SPOOL_PATTERNS for path in folder.glob(pattern) if path.is_file()})


def purge_older_than(cutoff: datetime, directory: Path | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete spool files last written before `cutoff` (naive UTC). A file's last write is its newest line,
    so every record in such a file is older than the cutoff. Each file is claimed by a rename first, so a
    writer appending at that moment moves on to a new live file."""
    cutoff_epoch = cutoff.timestamp() if cutoff.tzinfo else (cutoff - datetime(1970, 1, 1)).total_seconds()
    files = records = 0
    for path in spool_files(directory):
        try:
            if path.stat().st_mtime >= cutoff_epoch:
                continue
            lines = sum(1 for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())
            if not dry_run:
                doomed = path.with_name(f"purge-{uuid.uuid4().hex}.tmp")
                os.rename(path, doomed)
                _wait_for_writers(doomed)
                doomed.unlink()
        except FileNotFoundError:
            continue  # a flush took it meanwhile
        files += 1
        records += lines
    return {"spool_files": files, "spool_records": records}
