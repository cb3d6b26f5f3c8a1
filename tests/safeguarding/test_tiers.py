"""The safeguarding tiers from the patterns alone (the immediate tier comes only from patterns, so these
tests are exact for it) and `assess`, which adds the classifier's lean.

History of the lists, so nobody mistakes a regression list for a measure: v1-v3 (tests/nlu) were written
apart from the patterns, measured, then used to broaden them; v4-v6 were caught by the classifier until the
two tiers (2026-12-06) and were then used to broaden the patterns; tests/safety/risk_register*.txt were
written blind and measured at first sight (bench/README.md: v1 84/116, v2 80/120, v3 73/100 at the immediate
tier) before they too were used. The honest figure for new wording is the first-sight one; from here on
every list guards against regressions. The ordinary lists (tests/nlu/safeguarding_negatives*.txt,
tests/safety/ordinary_*.txt) must never reach the immediate tier, apart from the accepted
cautious flags of v4-v6 (past harm mentioned in an ordinary question).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.safeguarding.tiers import CONCERN, EXTRA_FILES, IMMEDIATE, PATTERNS_FILE, assess, load_groups, match

TESTS = Path(__file__).parent.parent
RISK_LISTS = sorted((TESTS / "nlu").glob("safeguarding_heldout*.txt")) + sorted((TESTS / "safety").glob("risk_register*.txt"))
ORDINARY_LISTS = sorted((TESTS / "nlu").glob("safeguarding_negatives*.txt")) + \
    sorted((TESTS / "safety").glob("ordinary_*.txt"))
CAUTIOUS = TESTS / "nlu" / "safeguarding_cautious_flags.txt"


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_patterns_files_load_with_their_tiers() -> None:
    groups = load_groups()
    names = {g.name for g in groups}
    assert names >= {"suicide_self_harm", "abuse_harm", "immediate_danger", "parent_crisis", "self_harm_signs",
                     "neglect_signs", "exploitation_signs", "medical_emergency", "distress", "worry_about_a_child"}
    assert all(g.patterns for g in groups)
    assert {g.tier for g in groups} == {IMMEDIATE, CONCERN}
    assert [g.tier for g in groups] == sorted((g.tier for g in groups), key=(IMMEDIATE, CONCERN).index)


def test_every_group_name_is_unique_across_the_files() -> None:
    names = []
    for path in (PATTERNS_FILE, *EXTRA_FILES):
        names += [g["name"] for g in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("groups", [])]
    assert len(names) == len(set(names))


def test_an_unknown_tier_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("groups:\n  - {name: x, tier: urgent, patterns: ['x']}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tier must be one of"):
        load_groups(bad)


@pytest.mark.parametrize("path", RISK_LISTS, ids=lambda p: p.name)
def test_every_known_risk_message_reaches_the_immediate_tier(path: Path) -> None:
    lines = _lines(path)
    assert len(lines) >= 60
    missed = [text for text in lines if not match(text)]
    assert missed == []


@pytest.mark.parametrize("text", [
    "where do I report a worry about a child in my son's class",
    "my daughter keeps coming home crying and I'm not coping",
    "my mental health is getting worse and I feel like giving up on college",
    # the two kinds the private real set's misses were (#15): a young person's own worsening state, and a
    # worry about another child's home
    "i feel like im getting worse every day and nobody notices",
    "how do i report that a child in my sons class might not be safe at home",
    "I'm worried about my nephew, I think something is going on at home",
])
def test_worries_that_are_not_emergencies_reach_the_concern_tier(text: str) -> None:
    assert match(text) is None and match(text, tier=CONCERN)


@pytest.mark.parametrize("text", [
    "our son cant cope with crowds, which secondary schools are smaller",
    "she just cannot cope in the dinner hall, can the school give her somewhere quiet",
    # the school's account of a child not coping (found chatting as a parent would, 2026-12-06)
    "school keep phoning me to collect him at lunchtime because they say he cant cope. is that allowed?",
])
def test_a_child_who_cannot_cope_with_a_situation_is_a_send_need_not_a_concern(text: str) -> None:
    assert match(text, tier=None) is None


def test_a_parent_who_cannot_cope_is_still_a_concern() -> None:
    assert match("I can't cope any more with the council and the school", tier=CONCERN) == "distress"


@pytest.mark.parametrize("path", ORDINARY_LISTS, ids=lambda p: p.name)
def test_ordinary_worries_never_reach_the_immediate_tier(path: Path) -> None:
    accepted = set(_lines(CAUTIOUS))
    lines = _lines(path)
    assert [text for text in lines if match(text) and text not in accepted] == []


def test_the_ordinary_worries_in_families_register_are_at_least_200() -> None:
    assert sum(len(_lines(p)) for p in sorted((TESTS / "safety").glob("ordinary_worries*.txt"))) >= 200


def test_cautious_flags_are_real_lines_that_are_flagged() -> None:
    """The accepted list must not hide anything: each line is in a negatives list and is flagged today."""
    ordinary = {text for path in ORDINARY_LISTS for text in _lines(path)}
    accepted = _lines(CAUTIOUS)
    assert accepted and all(text in ordinary and match(text) for text in accepted)


@pytest.mark.parametrize("text", [
    "it'd be career suicide for me to go part time",
    "we cannot sustain paying £1,000 a month for the tutor",
    "the atmosphere in that meeting you could cut with a knife",
    "the placement is on a knife-edge, the panel meets thursday",
    "he is drowning in coursework this term",
    "when he melts down he hits and bites me, it's usually after school",
    "the GP asked and he says he is not having thoughts of harming himself, just tired of waiting",
    "school says she can't go on the year 10 residential without a trained adult",
    "teacher says his pencil grip and cutting are way behind, year 1, can school get an OT in",
    "the OT is working on her cutting skills and using scissors safely",
    "my ehcp says 25 hours 1:1 but school only gives him 15",
    "the council offered him 10 hours of tuition a week",
    "my son is 15 and has epilepsy, can school refuse to give him his meds",
    "nursery won't give her her inhaler without a form, is that allowed",
    "he's autistic with no sense of danger and has bolted into the road more than once, can he get transport",
    "she bolts into roads so we need a taxi to school not a pick up point",
    "he keeps running into the road when he's overwhelmed, is there a short break club with 1:1",
    # probe sets v2, v7 and v10 (read): each got the emergency list and lost its answer
    "honestly drowning with college applications and his ehcp review, can i deal with the PIP letter later?",
    "the registration page asks for a diagnosis. are we just locked out until he gets one?",
    "school keep saying DD cant go on the SEN register without a diagnosis, is that right",
    # a part-time timetable with no end date (left in stop 33, mended in stop 34)
    "hes been on mornings only since september and nobody has mentioned ending it",
    "no one has talked about ending it, is there a time limit on a reduced timetable?",
])
def test_figures_of_speech_are_not_danger(text: str) -> None:
    assert match(text) is None


@pytest.mark.parametrize("text", [
    "she's been cutting again, her arms are covered",
    "his handwriting has gone to pieces and I found out he has been cutting himself",
    "fine motor skills are fine but she's been cutting, I saw the marks",
    "some older lads paid him 50 to carry a bag to Basildon",
    "a man at the park gave her £20 and asked for her number",
    "his dad won't give him his insulin and he's getting sleepy",
    "my ex is refusing to give him his insulin, he's been drowsy and vomiting",
    "the school refused to give him his meds and now he's having a seizure that won't stop",
    "he's just run into the road and a car had to swerve",
    "my son ran into the road and was hit by a car",
    "he has bolted into the road again and I can't catch him",
    "he fell in the river and he's drowning",
    "she's locked out of the house in the cold and she's only 7",
    "i can't go on like this any more",
    "she has talked about ending it all",
    "nobody knows he has talked about ending it",
    "no one listens and she keeps talking about ending it",
])
def test_danger_is_still_danger_beside_school_words(text: str) -> None:
    assert match(text) is not None


def test_the_two_messages_quoted_in_the_issue_are_a_concern_at_most() -> None:
    sendco = assess("wot is a sendco and how do i talk to them my daughter keeps coming home crying")
    tether = assess("im at the end of my tether with the council, nobody answers the phone")
    assert sendco.tier == CONCERN and sendco.reason == "distress"
    assert tether.tier == CONCERN


def test_assess_puts_danger_first_and_the_classifiers_lean_never_above_a_concern() -> None:
    assert assess("he says he wants to die", classifier_score=0.0).tier == IMMEDIATE
    lean = assess("some words the patterns do not know", classifier_score=0.99, classifier_top=True)
    assert (lean.tier, lean.reason) == (CONCERN, "classifier 0.99")
    assert assess("some words", classifier_score=0.31).tier == CONCERN
    assert assess("some words", classifier_score=0.29).tier is None
    assert assess("what is an annual review").tier is None
    assert assess("what is an annual review").as_dict() == {"tier": "", "reason": ""}


def test_a_risk_sentence_in_a_long_message_is_a_concern_below_danger_and_the_classifier() -> None:
    found = assess("some words the patterns do not know", risk_sentence=0.62)
    assert (found.tier, found.reason) == (CONCERN, "sentence 0.62")
    assert assess("he says he wants to die", risk_sentence=0.62).tier == IMMEDIATE
    assert assess("some words", classifier_score=0.4, risk_sentence=0.62).reason == "classifier 0.40"


# The v16 signs (2026-12-07): danger told sideways in long posts. Each must still be danger, and the everyday
# sentence beside it, with the same words, must not be.
@pytest.mark.parametrize("text", [
    "she's sorted everything and says we won't have to worry about her after friday",
    "there were finger-shaped marks on both his arms when he came in",
    "his mum's boyfriend does the belt when he wets the bed",
    "the tutor says it's their little secret and told her not to mention it to me",
    "he's invited him to stay at his flat the night before the tournament",
    "she told me she was cut down there when she was little",
    "the office says he never came in and it's now half two",
    "it's been going about eight minutes and his lips have gone a funny blue colour",
    "I put him to bed and walked out, he's on his own in the flat",
    "my dad is drunk again and my brother hasn't eaten since yesterday",
])
def test_signs_told_sideways_are_danger(text: str) -> None:
    assert match(text) is not None


@pytest.mark.parametrize("text", [
    "Essex still haven't found him a school after the tribunal",
    "he bangs his head on the wall when he is frustrated, is that a sensory need",
    "he is really hard to wake in the mornings for school",
    "the SENCO wants to meet her on Monday about her one plan",
    "grandad bought her a new phone for starting secondary",
    "he flinches at loud noises and the hand dryer",
    "the school said it's a secret how the panel decides",
])
def test_the_everyday_sentence_with_the_same_words_is_not_danger(text: str) -> None:
    assert match(text) is None
