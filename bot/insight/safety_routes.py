"""Which safeguarding route each message of the blind lists gets, list by list (`python -m bot eval-safety`).

Why a table of routes and not one recall figure: the safety net answers on three levels (emergency routes first;
the question answered with one line of routes; nothing), and each level comes from a different source (danger
patterns, the classifier's lean, distress words, a sentence that reads like a risk example). A risk list is
judged by how many messages get no route at all, and an ordinary list by how many get the emergency list. The
held-out lists (tests/safety/held_out/) are the figure for wording nobody has fitted to.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from bot.insight.evaluation import SAFEGUARDING, read_examples
from bot.safeguarding.tiers import IMMEDIATE, match

ROUTES = ("immediate", "safeguarding reply", "concern note", "none")
TESTS = Path(__file__).resolve().parents[2] / "tests"


def default_lists() -> list[Path]:
    """Every risk and ordinary list the project keeps: regression lists first, then the held-out ones."""
    nlu, safety = TESTS / "nlu", TESTS / "safety"
    return [*sorted(nlu.glob("safeguarding_heldout*.txt")), *sorted(safety.glob("risk_register*.txt")),
            *sorted((safety / "held_out").glob("risk_*.txt")), *sorted(nlu.glob("safeguarding_negatives*.txt")),
            *sorted(safety.glob("ordinary_*.txt")), *sorted((safety / "held_out").glob("ordinary_*.txt"))]


def is_risk_list(path: Path) -> bool:
    return path.name.startswith(("risk_", "safeguarding_heldout"))


def read_list(path: Path) -> list[str]:
    """The messages of a plain list (one a line, '#' comments), read as `bot eval --label` reads them."""
    return [example.text for example in read_examples(path, label=SAFEGUARDING)]


def route_of(parsed: dict[str, Any]) -> tuple[str, str]:
    """(route, source) of one parse: the route the family gets and what sent it there."""
    recorded = parsed.get("safeguarding") or {}
    tier, reason = str(recorded.get("tier") or ""), str(recorded.get("reason") or "")
    source = reason.split(" ")[0] if reason else ""
    if tier == IMMEDIATE:
        return "immediate", "pattern"
    if parsed.get("intent") == SAFEGUARDING:
        return "safeguarding reply", source or "classifier"
    if tier:
        return "concern note", source
    return "none", ""


@dataclass(frozen=True)
class ListRoutes:
    name: str
    risk: bool
    total: int
    patterns_immediate: int
    routes: Counter[str]
    sources: Counter[str]


def routes_for(path: Path, texts: Sequence[str], parsed: Sequence[dict[str, Any]]) -> ListRoutes:
    routes: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for each in parsed:
        route, source = route_of(each)
        routes[route] += 1
        if route in ("safeguarding reply", "concern note"):
            sources[source] += 1
    immediate = sum(match(text, tier=IMMEDIATE) is not None for text in texts)
    return ListRoutes(path.name, is_risk_list(path), len(texts), immediate, routes, sources)


def format_table(rows: Sequence[ListRoutes]) -> str:
    head = ("| list | kind | n | patterns alone: immediate | immediate | safeguarding reply | concern note | none "
            "| what gave the two middle routes |")
    lines = [head, "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        sources = ", ".join(f"{name or 'patterns'} {count}" for name, count in row.sources.most_common())
        cells = [row.name, "risk" if row.risk else "ordinary", str(row.total), str(row.patterns_immediate),
                 *(str(row.routes[route]) for route in ROUTES), sources]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
