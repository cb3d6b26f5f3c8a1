"""The one open-redirect rule (bot.web.security.local_path) used by sign-in's `next` and the inbox's `back`."""
from __future__ import annotations

import pytest

from bot.web.console import auth
from bot.web.security import local_path


@pytest.mark.parametrize("target", ["/console", "/console/", "/console/queue?status=new", "/console/inbox/group?ids=1,2"])
def test_a_console_path_is_kept(target: str) -> None:
    assert local_path(target, "/console") == target


@pytest.mark.parametrize("target", [
    None, "", "https://evil.example/", "//evil.example/console", "///evil.example", "/console\\@evil",
    "/\\evil.example", "javascript:alert(1)", "/not-console", "/consoles", "/", "/console/\t/evil.example",
    "/console\n//evil.example", "/console//evil.example", "http:/console", " /console",
])
def test_anything_else_is_refused(target: str | None) -> None:
    assert local_path(target, "/console") is None


def test_the_inbox_admits_only_the_inbox() -> None:
    assert local_path("/console/inbox?page=2&reason=fallback", "/console/inbox") == "/console/inbox?page=2&reason=fallback"
    assert local_path("/console/inbox/group?ids=3", "/console/inbox") == "/console/inbox/group?ids=3"
    assert local_path("/console/audit", "/console/inbox") is None
    assert local_path("/console/inboxes", "/console/inbox") is None


def test_sign_in_uses_the_same_rule() -> None:
    for target in ("/console/queue", "//evil.example/console", "/console/\t/x"):
        assert auth.safe_next(target) == local_path(target, "/console")
