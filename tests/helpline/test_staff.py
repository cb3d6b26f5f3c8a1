"""Staff users: password policy, hashing, the lockout rules (with a clock passed in, never sleeping),
sign-in checks against the real database, and the `python -m bot user` commands as real processes."""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.config import ROOT
from bot.db import models as m
from bot.db.session import session_scope
from bot.helpline import staff
from bot.helpline.staff import (
    LOCKOUT,
    LockState,
    StaffError,
    after_failure,
    check_password,
    create_user,
    hash_password,
    is_locked,
    password_problems,
    unlock_user,
    verify_sign_in,
)

GOOD = "Blackwater-estuary-at-dawn-7"
T0 = datetime(2030, 3, 4, 9, 0)


@pytest.mark.parametrize("password, problem", [
    ("short-pass1", "at least 12"),
    ("a" * 20, "one character repeated"),
    ("sam.jones.essex", "not be the username"),
    ("SAM.JONES.ESSEX", "not be the username"),
    ("x" * 300 + "yz", "at most 256"),
])
def test_password_policy_says_what_is_wrong(password: str, problem: str) -> None:
    problems = password_problems(password, "sam.jones.essex")
    assert any(problem in p for p in problems), problems


def test_a_good_password_passes() -> None:
    assert password_problems(GOOD, "sam") == []
    assert password_problems("twelve chars", "sam") == []  # exactly 12 is enough


def test_hashes_are_salted_scrypt_and_check_only_the_right_password() -> None:
    first, second = hash_password(GOOD), hash_password(GOOD)
    assert first.startswith("scrypt:") and first != second and GOOD not in first
    assert len(first) <= 255  # fits staff_user.password_hash
    assert check_password(first, GOOD) and check_password(second, GOOD)
    assert not check_password(first, GOOD + "x") and not check_password(first, "")


def test_fifth_failure_locks_for_15_minutes_and_not_before() -> None:
    state = LockState()
    for attempt in range(1, 5):
        state = after_failure(state, T0 + timedelta(seconds=attempt))
        assert state.failed_attempts == attempt and not is_locked(state, T0 + timedelta(seconds=attempt))
    state = after_failure(state, T0 + timedelta(seconds=5))
    assert is_locked(state, T0 + timedelta(seconds=5))
    assert state.locked_until == T0 + timedelta(seconds=5) + LOCKOUT
    assert is_locked(state, state.locked_until - timedelta(seconds=1))
    assert not is_locked(state, state.locked_until)


def test_failures_during_a_lock_do_not_extend_it_and_the_count_restarts_after() -> None:
    locked = LockState(failed_attempts=0, locked_until=T0 + LOCKOUT)
    assert after_failure(locked, T0 + timedelta(minutes=1)) == locked
    after = after_failure(locked, T0 + LOCKOUT + timedelta(seconds=1))
    assert after == LockState(failed_attempts=1, locked_until=None)


def test_success_clears_the_count() -> None:
    assert staff.after_success() == LockState()


def _user(url: str, name: str) -> m.StaffUser:
    with session_scope(url) as db:
        return db.execute(select(m.StaffUser).where(m.StaffUser.username == name)).scalar_one()


def test_create_user_checks_everything_and_records_who(database_url: str) -> None:
    with session_scope(database_url) as db:
        created = create_user(db, "  Pat.Helpline ", GOOD, "helpline", actor="tester", now=T0)
    assert created.username == "pat.helpline" and created.role == "helpline"
    stored = _user(database_url, "pat.helpline")
    assert stored.password_hash != GOOD and stored.active and stored.created_at == T0
    with session_scope(database_url) as db:
        audit = db.execute(select(m.AuditEvent).where(m.AuditEvent.action == "user_created",
                                                      m.AuditEvent.target == "pat.helpline")).scalar_one()
        assert audit.actor == "tester" and audit.detail == {"role": "helpline"}
    for name, password, role, problem in [
        ("pat.helpline", GOOD, "helpline", "already a user"),
        ("new.person", GOOD, "superuser", "role must be one of"),
        ("new person!", GOOD, "officer", "username must be"),
        ("new.person", "short", "officer", "at least 12"),
    ]:
        with pytest.raises(StaffError) as caught, session_scope(database_url) as db:
            create_user(db, name, password, role, actor="tester")
        assert any(problem in p for p in caught.value.problems), caught.value.problems


def test_verify_sign_in_counts_failures_locks_and_unlocks(database_url: str) -> None:
    with session_scope(database_url) as db:
        create_user(db, "lee.officer", GOOD, "officer", actor="tester")
    for attempt in range(5):
        with session_scope(database_url) as db:
            result = verify_sign_in(db, "lee.officer", "wrong-wrong-wrong", T0 + timedelta(minutes=attempt))
        assert result.identity is None
    assert result.reason == "locked"
    with session_scope(database_url) as db:
        assert verify_sign_in(db, "lee.officer", GOOD, T0 + timedelta(minutes=10)).reason == "locked"
        unlock_user(db, "lee.officer", actor="admin")
    with session_scope(database_url) as db:
        result = verify_sign_in(db, "LEE.OFFICER", GOOD, T0 + timedelta(minutes=11))
    assert result.reason == "ok" and result.identity and result.identity.role == "officer"
    stored = _user(database_url, "lee.officer")
    assert stored.failed_attempts == 0 and stored.locked_until is None
    assert stored.last_sign_in_at == T0 + timedelta(minutes=11)
    with session_scope(database_url) as db:
        assert verify_sign_in(db, "nobody", GOOD, T0).reason == "unknown"


def _cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "bot", "user", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_cli_add_list_unlock_disable(database_url: str) -> None:
    done = _cli(database_url, "add", "ana.admin", "--role", "admin", "--password-stdin", stdin=GOOD + "\n")
    assert done.returncode == 0, done.stderr
    assert "Created admin 'ana.admin'" in done.stdout and GOOD not in done.stdout
    assert check_password(_user(database_url, "ana.admin").password_hash, GOOD)

    weak = _cli(database_url, "add", "weak.user", "--role", "helpline", "--password-stdin", stdin="abc\n")
    assert weak.returncode == 1 and "at least 12" in weak.stderr and "Nothing was saved" in weak.stderr

    with session_scope(database_url) as db:
        for _ in range(5):
            verify_sign_in(db, "ana.admin", "wrong-wrong-wrong", datetime.utcnow())
    listed = _cli(database_url, "list")
    assert listed.returncode == 0 and "ana.admin" in listed.stdout and "locked until" in listed.stdout

    unlocked = _cli(database_url, "unlock", "ana.admin")
    assert unlocked.returncode == 0, unlocked.stderr
    assert _user(database_url, "ana.admin").locked_until is None

    disabled = _cli(database_url, "disable", "ana.admin")
    assert disabled.returncode == 0 and _user(database_url, "ana.admin").active is False
    assert "disabled" in _cli(database_url, "list").stdout
    missing = _cli(database_url, "unlock", "no.such.user")
    assert missing.returncode == 1 and "There is no user called 'no.such.user'" in missing.stderr


def test_cli_add_asks_twice_and_refuses_a_mismatch(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.staff import run_user

    answers = iter([GOOD, GOOD + "typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    args = argparse.Namespace(user_action="add", name="mo.helpline", role="helpline", password_stdin=False,
                              database_url=database_url)
    assert run_user(args) == 1
    assert "different" in capsys.readouterr().err
    answers = iter([GOOD, GOOD])
    assert run_user(args, stdin=io.StringIO()) == 0
    assert _user(database_url, "mo.helpline").role == "helpline"


def test_a_new_database_has_no_users_and_no_default_password(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.db import migrate

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    done = _cli(url, "list")
    assert done.returncode == 0 and "There are no users yet" in done.stdout
    with session_scope(url) as db:
        assert db.execute(select(m.StaffUser)).first() is None
