"""`python -m bot user ...`: create, list, unlock and disable staff console users.

Why the command line and not a web page: the first user (an admin) has to come from somewhere, and there
are no default passwords; whoever can run commands on the server can already read the database.
Passwords are read with getpass (twice) or from stdin (`--password-stdin`, for scripts), never argv,
where other users of the machine could see them in the process list.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime
from typing import TextIO


def add_user_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="user_action", required=True)
    add = actions.add_parser("add", help="create a user (asks for the password twice)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("helpline", "officer", "admin"))
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    actions.add_parser("list", help="list users, their roles and whether they are locked or disabled")
    unlock = actions.add_parser("unlock", help="clear a user's failed sign-ins and lock")
    unlock.add_argument("name")
    disable = actions.add_parser("disable", help="stop a user signing in (their sessions end at once)")
    disable.add_argument("name")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def _read_password(from_stdin: bool, stdin: TextIO) -> str | None:
    if from_stdin:
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least 12 characters): ")
    second = getpass.getpass("The same password again: ")
    if first != second:
        print("The two passwords are different. Nothing was saved; please try again.", file=sys.stderr)
        return None
    return first


def run_user(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    from bot.db.queries.staff import list_staff_users
    from bot.db.session import session_scope
    from bot.helpline.staff import StaffError, create_user, describe_lock, disable_user, unlock_user
    from bot.table import render_table

    action = args.user_action
    try:
        if action == "add":
            password = _read_password(args.password_stdin, stdin or sys.stdin)
            if password is None:
                return 1
            with session_scope(args.database_url) as session:
                user = create_user(session, args.name, password, args.role, actor=_actor())
            print(f"Created {user.role} '{user.username}'. They can sign in at /console/sign-in.")
        elif action == "list":
            with session_scope(args.database_url) as session:
                now = datetime.utcnow()
                rows = [[u.username, u.role, describe_lock(u, now) or "active",
                         f"{u.last_sign_in_at:%Y-%m-%d %H:%M}" if u.last_sign_in_at else "never"]
                        for u in list_staff_users(session)]
            if not rows:
                print("There are no users yet. Create the first with: python -m bot user add NAME --role admin")
                return 0
            print(render_table(["User", "Role", "State", "Last sign-in (UTC)"], rows, [30, 10, 28, 18]))
        elif action == "unlock":
            with session_scope(args.database_url) as session:
                unlock_user(session, args.name, actor=_actor())
            print(f"'{args.name.strip().lower()}' can sign in again.")
        elif action == "disable":
            with session_scope(args.database_url) as session:
                disable_user(session, args.name, actor=_actor())
            print(f"'{args.name.strip().lower()}' can no longer sign in.")
    except StaffError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print("Nothing was saved.", file=sys.stderr)
        return 1
    return 0
