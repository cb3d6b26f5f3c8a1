"""Staff users of the console: the password policy, hashing, sign-in checks and the lockout rules.

Why the rules are pure functions of (state, now): lockout is about time, and tests must prove it without
sleeping, so the clock is always passed in. Storage lives in bot/db/queries/staff.py; this module decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.db import models as m
from bot.db.queries.audit import record_audit
from bot.db.queries.staff import get_staff_user, record_staff_user

ROLES = ("helpline", "officer", "admin")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256  # a hash of a megabyte "password" would tie up a worker
MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
# Checked against when the username is unknown, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing-only")


class StaffError(ValueError):
    """A user could not be created or changed; `problems` are sentences to show the person."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StaffIdentity:
    """Who is signed in: all a view needs, and nothing secret."""

    id: int
    username: str
    role: str


@dataclass(frozen=True)
class LockState:
    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class SignInResult:
    identity: StaffIdentity | None  # None: wrong name, wrong password, disabled or locked (told apart only in logs)
    reason: str  # ok | unknown | bad_password | locked | disabled


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def username_problems(username: str) -> list[str]:
    if not _USERNAME.match(normalise_username(username)):
        return ["The username must be 2 to 100 characters: letters, numbers, dots, dashes, @ or underscores."]
    return []


def password_problems(password: str, username: str = "") -> list[str]:
    """Why `password` is not allowed (empty when it is)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")
    if password and len(set(password)) == 1:
        problems.append("The password must not be one character repeated.")
    if username and password.strip().lower() == normalise_username(username):
        problems.append("The password must not be the username.")
    return problems


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    return check_password_hash(password_hash, password)


def is_locked(state: LockState, now: datetime) -> bool:
    return state.locked_until is not None and now < state.locked_until


def after_failure(state: LockState, now: datetime) -> LockState:
    """One more wrong password; the 5th in a row locks the account for 15 minutes.

    A lock that has run out starts the count again. Attempts during a lock do not extend it, so someone
    guessing cannot keep a colleague locked out for longer than 15 minutes at a time.
    """
    if is_locked(state, now):
        return state
    attempts = 0 if state.locked_until is not None else state.failed_attempts
    attempts += 1
    if attempts >= MAX_FAILED_ATTEMPTS:
        return LockState(failed_attempts=0, locked_until=now + LOCKOUT)
    return LockState(failed_attempts=attempts, locked_until=None)


def after_success() -> LockState:
    return LockState()


def _lock_state(user: m.StaffUser) -> LockState:
    return LockState(failed_attempts=user.failed_attempts or 0, locked_until=user.locked_until)


def _store(user: m.StaffUser, state: LockState) -> None:
    user.failed_attempts, user.locked_until = state.failed_attempts, state.locked_until


def create_user(session: Session, username: str, password: str, role: str, actor: str,
                now: datetime | None = None) -> StaffIdentity:
    """Add a user after checking the name, role and password policy; the audit row records who did it."""
    name = normalise_username(username)
    problems = username_problems(name)
    if role not in ROLES:
        problems.append(f"The role must be one of: {', '.join(ROLES)}.")
    problems += password_problems(password, name)
    if not problems and get_staff_user(session, name) is not None:
        problems.append(f"There is already a user called '{name}'.")
    if problems:
        raise StaffError(problems)
    user = record_staff_user(session, name, hash_password(password), role, now or datetime.utcnow())
    record_audit(session, actor, "user_created", target=name, detail={"role": role}, at=now)
    return StaffIdentity(user.id, user.username, user.role)


def verify_sign_in(session: Session, username: str, password: str, now: datetime) -> SignInResult:
    """Check a sign-in attempt and update the failure count, lock and last sign-in time."""
    user = get_staff_user(session, normalise_username(username))
    if user is None:
        check_password(_DUMMY_HASH, password)
        return SignInResult(None, "unknown")
    state = _lock_state(user)
    if is_locked(state, now):
        record_audit(session, user.username, "sign_in_refused_locked", target=user.username, at=now)
        return SignInResult(None, "locked")
    if not check_password(user.password_hash, password):
        new_state = after_failure(state, now)
        _store(user, new_state)
        record_audit(session, user.username, "sign_in_failed", target=user.username,
                     detail={"failed_attempts": new_state.failed_attempts}, at=now)
        if is_locked(new_state, now):
            record_audit(session, user.username, "account_locked", target=user.username,
                         detail={"until": new_state.locked_until.isoformat() if new_state.locked_until else ""},
                         at=now)
            return SignInResult(None, "locked")
        return SignInResult(None, "bad_password")
    if not user.active:
        record_audit(session, user.username, "sign_in_refused_disabled", target=user.username, at=now)
        return SignInResult(None, "disabled")
    _store(user, after_success())
    user.last_sign_in_at = now
    record_audit(session, user.username, "signed_in", target=user.username, at=now)
    return SignInResult(StaffIdentity(user.id, user.username, user.role), "ok")


def _existing(session: Session, username: str) -> m.StaffUser:
    user = get_staff_user(session, normalise_username(username))
    if user is None:
        raise StaffError([f"There is no user called '{normalise_username(username)}'."])
    return user


def unlock_user(session: Session, username: str, actor: str, now: datetime | None = None) -> None:
    """Clear the failure count and any lock (an admin did it, after checking who is asking)."""
    user = _existing(session, username)
    _store(user, after_success())
    record_audit(session, actor, "user_unlocked", target=user.username, at=now)


def disable_user(session: Session, username: str, actor: str, now: datetime | None = None) -> None:
    """Stop a user signing in; their open sessions end on their next request."""
    user = _existing(session, username)
    user.active = False
    record_audit(session, actor, "user_disabled", target=user.username, at=now)


def describe_lock(user: m.StaffUser, now: datetime) -> str:
    """'locked until 14:05' / 'disabled' / '2 failed attempts' / '' for the user list."""
    state = _lock_state(user)
    if not user.active:
        return "disabled"
    if is_locked(state, now):
        return f"locked until {state.locked_until:%H:%M} UTC"
    if state.failed_attempts:
        return f"{state.failed_attempts} failed attempt(s)"
    return ""

