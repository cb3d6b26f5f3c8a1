"""Each parse is given the route the family actually gets, and the table counts them list by list."""
from __future__ import annotations

from pathlib import Path

from bot.insight.safety_routes import default_lists, format_table, is_risk_list, route_of, routes_for


def test_each_parse_gets_the_route_the_family_gets_and_what_sent_it() -> None:
    assert route_of({"intent": "safeguarding_urgent", "safeguarding": {"tier": "immediate",
                                                                       "reason": "missing_described"}}) == \
        ("immediate", "pattern")
    assert route_of({"intent": "safeguarding_urgent", "safeguarding": {"tier": "concern",
                                                                       "reason": "classifier 0.62"}}) == \
        ("safeguarding reply", "classifier")
    assert route_of({"intent": "disagree_appeal", "safeguarding": {"tier": "concern", "reason": "sentence 0.58"}}) == \
        ("concern note", "sentence")
    assert route_of({"intent": "annual_review", "safeguarding": None}) == ("none", "")


def test_the_table_counts_routes_and_patterns_alone(tmp_path: Path) -> None:
    path = tmp_path / "risk_example.txt"
    texts = ["my son says he wants to die", "some words the patterns do not know", "what is an annual review"]
    parsed = [{"intent": "safeguarding_urgent", "safeguarding": {"tier": "immediate", "reason": "suicide_self_harm"}},
              {"intent": "sen_support", "safeguarding": {"tier": "concern", "reason": "sentence 0.60"}},
              {"intent": "annual_review"}]
    row = routes_for(path, texts, parsed)
    assert (row.risk, row.total, row.patterns_immediate) == (True, 3, 1)
    assert [row.routes[r] for r in ("immediate", "safeguarding reply", "concern note", "none")] == [1, 0, 1, 1]
    assert format_table([row]).splitlines()[-1] == "| risk_example.txt | risk | 3 | 1 | 1 | 0 | 1 | 1 | sentence 1 |"


def test_the_default_lists_hold_the_held_out_ones_and_know_their_kind() -> None:
    names = {path.name: is_risk_list(path) for path in default_lists()}
    assert names["risk_heldout_v10.txt"] is True and names["ordinary_heldout_v7.txt"] is False
    assert names["risk_register.txt"] is True and names["safeguarding_negatives.txt"] is False
