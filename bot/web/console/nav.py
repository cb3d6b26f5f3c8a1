"""The console's navigation: one list of links, each with the roles that may use it.

Why a list in Python rather than links typed into templates: the same list decides what the home page
offers and what the header shows, so a role never sees a link that would answer 403. Other areas of the
console (the officer pages) add their links with `add_nav_item` when their module is imported.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str  # e.g. "console.search"
    roles: tuple[str, ...]  # who may use it; admin may use everything
    description: str = ""  # one line for the console home page


NAV_ITEMS: list[NavItem] = [
    NavItem("Search", "console.search", ("helpline", "officer"),
            "Find services and guidance while a parent is on the phone."),
    NavItem("Handoff queue", "console.queue", ("helpline", "officer"),
            "Families who asked for a person or a callback."),
    NavItem("Audit log", "console.audit", ("admin",), "Who changed what in the console, and when."),
]


def add_nav_item(label: str, endpoint: str, roles: tuple[str, ...] | list[str], description: str = "",
                 before: str | None = None) -> None:
    """Add a link (once: importing a module twice must not duplicate it), optionally before another endpoint."""
    if any(item.endpoint == endpoint for item in NAV_ITEMS):
        return
    item = NavItem(label, endpoint, tuple(roles), description)
    positions = [i for i, existing in enumerate(NAV_ITEMS) if existing.endpoint == before]
    NAV_ITEMS.insert(positions[0] if positions else len(NAV_ITEMS), item)


def role_may(role: str, roles: tuple[str, ...] | list[str]) -> bool:
    """Admin may do everything; otherwise the role must be listed (an empty list means any signed-in role)."""
    return role == "admin" or not roles or role in roles


def items_for(role: str) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role_may(role, item.roles)]


def service_navigation(role: str, current_endpoint: str | None) -> list[dict[str, object]]:
    """Items in the shape govukServiceNavigation wants, with the current page marked."""
    current = current_endpoint or ""
    return [
        {
            "text": item.label,
            "href": url_for(item.endpoint),
            "current": item.endpoint == current,  # aria-current="page"
            "active": current.startswith(item.endpoint + "_"),  # a page under it, e.g. one queue item
        }
        for item in items_for(role)
    ]
