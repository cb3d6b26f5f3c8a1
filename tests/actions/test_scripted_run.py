"""Issue #17, the scripted run: 50 mixed conversations, driven through the real actions with trackers built the
way Rasa builds them (user events with parse data, action events, the bots' messages with their response name,
slot events), on the real database with the real content.

No Rasa server is started (so this runs in `make test`): the next action is chosen by `next_actions`, which
follows data/rules as Rasa does, including the core fallback for an intent that no rule starts (read from the
rule files, so a new rule changes what counts as a misunderstanding here too). The NLU is left out: each
message carries the intent the classifier gave it in the issue's reports. What is checked:
- every fallback, out-of-scope reply, "No" (not helped) and no-match search is in the inbox exactly once
  (counted per conversation and reason, against what the family saw);
- every conversation with two misunderstandings in a row has been offered a person at the second.
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

import bot.helpline.handoff as handoff_module
from actions.bank_reply import BANK_ANSWER_RESPONSES
from actions.feedback_actions import (
    ANSWERED_ANYWAY,
    ActionFallback,
    ActionFeedbackNo,
    ActionFeedbackYes,
    ActionOutOfScope,
)
from actions.guidance_actions import ActionAnswerGuidance, ActionGuidanceSection
from actions.handoff_actions import ActionStartHandoff
from actions.service_actions import ActionMoreServices, ActionSearchServices, ActionStartSearch
from bot.config import ROOT
from bot.db import models as m
from bot.insight.review import hash_sender

ACTIONS = {a.name(): a for a in (ActionFallback(), ActionFeedbackNo(), ActionFeedbackYes(), ActionOutOfScope(),
                                 ActionAnswerGuidance(), ActionGuidanceSection(), ActionStartHandoff(),
                                 ActionStartSearch(), ActionSearchServices(), ActionMoreServices())}
HANDOFF_REPLIES = {"utter_handoff_in_hours", "utter_handoff_out_of_hours", "utter_handoff_in_hours_unsaved"}


def _rule_intents() -> set[str]:
    """Intents that start a rule with no condition and no action before them: anything else is a core fallback."""
    intents = set()
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text()).get("rules") or []:
            steps = rule.get("steps") or []
            if not rule.get("condition") and steps and "intent" in steps[0]:
                intents.add(steps[0]["intent"])
    return intents


RULE_INTENTS = _rule_intents()
# What Rasa runs when no rule fits (config.yml): read, so that going back to Rasa's own action fails this test.
CORE_FALLBACK = next(p for p in yaml.safe_load((ROOT / "config.yml").read_text())["policies"]
                     if p["name"] == "RulePolicy")["core_fallback_action_name"]
GUIDANCE_TOPICS = {i for i in RULE_INTENTS if i not in {
    "safeguarding_urgent", "more_info", "out_of_scope", "greet", "goodbye", "thank", "bot_challenge", "nlu_fallback",
    "request_human", "find_service", "more_services"}}


@dataclass
class Message:
    text: str
    intent: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)  # what the search form would have collected


@dataclass
class Conversation:
    sender: str
    events: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=lambda: {"escalate": False, "search_offset": 0.0})
    replies: list[list[str]] = field(default_factory=list)  # the responses said to each message
    misunderstood: list[bool] = field(default_factory=list)
    not_helped: int = 0
    out_of_scope: int = 0
    no_match: int = 0

    def last_utterance(self) -> str | None:
        for event in reversed(self.events):
            if event["event"] == "action" and event["name"] != "action_listen":
                return event["name"]
            if event["event"] == "user":
                return None
        return None


def _user_event(message: Message) -> dict[str, Any]:
    ranking = [{"name": message.intent, "confidence": 0.9 if message.intent != "nlu_fallback" else 0.4}]
    return {"event": "user", "text": message.text, "parse_data": {
        "text": message.text, "intent": {"name": message.intent, "confidence": ranking[0]["confidence"]},
        "entities": message.entities, "intent_ranking": ranking}}


def _run(conversation: Conversation, name: str, domain: dict[str, Any], said: list[str]) -> None:
    conversation.events.append({"event": "action", "name": name})
    if name == "action_default_fallback":  # Rasa's own: says utter_default and forgets the message
        said.append("utter_default")
        last_user = max(i for i, e in enumerate(conversation.events) if e["event"] == "user")
        del conversation.events[last_user:]
        return
    if name.startswith("utter_"):
        conversation.events.append({"event": "bot", "text": "", "metadata": {"utter_action": name}})
        said.append(name)
        return
    user = next(e for e in reversed(conversation.events) if e["event"] == "user")
    tracker = Tracker(conversation.sender, dict(conversation.slots), user["parse_data"], list(conversation.events),
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ACTIONS[name].run(dispatcher, tracker, domain))
    for message in dispatcher.messages:
        conversation.events.append({"event": "bot", "text": message.get("text") or "",
                                    "metadata": {"utter_action": message.get("response")}})
        said.append(message.get("response"))
    for event in events:
        if event.get("event") == "slot":
            conversation.slots[event["name"]] = event["value"]
            conversation.events.append({"event": "slot", "name": event["name"], "value": event["value"]})


def next_actions(conversation: Conversation, message: Message) -> tuple[list[str], bool]:
    """The actions Rasa would run for this message under data/rules, and whether it is a misunderstanding."""
    last = conversation.last_utterance()
    if message.intent in ("affirm", "deny") and last == "utter_did_that_help":
        return (["action_feedback_yes"] if message.intent == "affirm" else ["action_feedback_no"]), False
    if message.intent == "nlu_fallback":
        return ["action_fallback"], True  # the rule for an unsure classifier
    if message.intent not in RULE_INTENTS:
        return [CORE_FALLBACK], True  # no rule fits: Rasa's core fallback (config.yml)
    if message.intent in GUIDANCE_TOPICS:
        return ["action_answer_guidance", "utter_did_that_help"], False
    return {
        "out_of_scope": ["action_out_of_scope"], "greet": ["utter_greet"], "goodbye": ["utter_goodbye"],
        "thank": ["utter_you_are_welcome"], "bot_challenge": ["utter_iamabot"],
        "more_info": ["action_guidance_section"], "request_human": ["action_start_handoff"],
        "find_service": ["action_start_search", "service_search_form", "action_search_services",
                         "utter_did_that_help"],
        "more_services": ["action_more_services"],
    }[message.intent], False


def say(conversation: Conversation, message: Message, domain: dict[str, Any]) -> None:
    actions, misunderstood = next_actions(conversation, message)  # from what the assistant said last
    conversation.events.append(_user_event(message))
    said: list[str] = []
    for name in actions:
        if name == "service_search_form":  # the form has everything: it fills the slots and ends at once
            conversation.slots.update(message.slots)
            continue
        _run(conversation, name, domain, said)
        follow = name in ("action_fallback", "action_feedback_no") and conversation.slots.get("escalate")
        if follow:  # rules: after two misunderstandings / two 'No' answers, a person
            _run(conversation, "action_start_handoff", domain, said)
    conversation.events.append({"event": "action", "name": "action_listen"})
    conversation.replies.append(said)
    conversation.misunderstood.append(misunderstood)
    conversation.not_helped += actions == ["action_feedback_no"]
    conversation.out_of_scope += message.intent == "out_of_scope"
    conversation.no_match += bool({"utter_services_none", "utter_services_widened"} & set(said))


# What families said in the reports and around them: (text, intent, entities, form answers).
UNDERSTOOD = [
    Message("how long does an EHC needs assessment take?", "assessment_timeline"),
    Message("what is an EHCP", "what_is_ehcp"),
    Message("We're moving from Kent to Colchester and he has an EHCP", "what_is_ehcp",
            [{"entity": "outside_area", "value": "Kent"}, {"entity": "district", "value": "Colchester"}]),
    Message("my 3 year old isn't talking yet, we're in Braintree", "transition_early_years",
            [{"entity": "district", "value": "Braintree"}, {"entity": "age", "value": "3 year old"}]),
    Message("how do I ask for an assessment", "request_assessment"),
    Message("hello", "greet"),
    Message("thanks", "thank"),
    Message("am I talking to a robot", "bot_challenge"),
]
MISSES = [
    Message("zzz", "affirm"),  # understood as 'affirm' with nothing to agree to: no rule, the core fallback
    Message("short breaks please", "inform", [{"entity": "service_category", "value": "short breaks"}]),
    Message("short breaks in Thurrock", "inform", [{"entity": "service_category", "value": "short breaks"},
                                                   {"entity": "outside_area", "value": "Thurrock"}]),
    Message("Hi we live in Thurrock and my son has autism", "inform",
            [{"entity": "outside_area", "value": "Thurrock"}]),
    Message("what is respite", "inform", [{"entity": "service_category", "value": "respite"}]),
    Message("that didnt answer it", "deny"),
    Message("asdf qwerty", "nlu_fallback"),
    Message("this is useless, I'm so angry", "nlu_fallback"),
]
OUT_OF_SCOPE = [Message("when is my bin collection", "out_of_scope"),
                Message("how do I renew my blue badge parking", "out_of_scope")]
SEARCHES = [
    Message("speech therapy in Colchester for my 7 year old", "find_service",
            slots={"search_topic": "Speech and language therapy", "search_area": "Colchester", "search_age": "7"}),
    Message("underwater basket weaving anywhere", "find_service",
            slots={"search_topic": "underwater basket weaving", "search_area": "any", "search_age": "any"}),
    Message("short breaks in Harlow for under 5s", "find_service",
            slots={"search_topic": "Short breaks", "search_area": "Harlow", "search_age": "under 5"}),
]
FEEDBACK = [Message("no", "deny"), Message("yes", "affirm")]
OTHERS = [Message("talk to a person", "request_human"), Message("show me more", "more_services")]


def _script(rng: random.Random) -> list[Message]:
    """3 to 7 messages: mostly understood, with misses (some in a row), out of scope, searches and feedback."""
    script: list[Message] = []
    for _ in range(rng.randint(3, 7)):
        pool = rng.choices([UNDERSTOOD, MISSES, OUT_OF_SCOPE, SEARCHES, FEEDBACK, OTHERS], [4, 4, 1, 2, 3, 1])[0]
        script.append(rng.choice(pool))
    return script


@pytest.fixture
def in_hours(monkeypatch) -> None:
    moment = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)  # a Tuesday morning: the team is open
    monkeypatch.setattr(handoff_module, "datetime", type("FixedDatetime", (datetime,), {
        "now": classmethod(lambda cls, tz=None: moment)}))


def test_fifty_conversations_lose_nothing_and_offer_a_person_after_two_misses(loaded_db, domain, session,
                                                                              in_hours) -> None:
    rng = random.Random(17)
    scripts = [_script(rng) for _ in range(46)]
    # The issue's own conversations, word for word.
    scripts += [MISSES[3:4] + MISSES[2:3] + MISSES[1:2],  # three misses in a row, no person offered before
                [MISSES[2], Message("short breaks", "inform"), MISSES[4], MISSES[5], MISSES[0]],
                [UNDERSTOOD[4], FEEDBACK[0], UNDERSTOOD[1], FEEDBACK[0]],  # two 'No' answers
                [SEARCHES[1], FEEDBACK[0], OUT_OF_SCOPE[0], MISSES[6]]]
    conversations = []
    for number, script in enumerate(scripts):
        conversation = Conversation(sender=f"scripted-run-{number}")
        for message in script:
            say(conversation, message, domain)
        conversations.append((script, conversation))

    assert sum(any(c.misunderstood) for _, c in conversations) >= 25  # the run really exercises the paths
    assert sum(c.no_match for _, c in conversations) >= 3 and sum(c.not_helped for _, c in conversations) >= 5

    rows = session.execute(select(m.UnansweredQuestion)).scalars().all()
    for script, conversation in conversations:
        mine = [row for row in rows if row.sender_hash == hash_sender(conversation.sender)]
        counted = Counter(row.reason for row in mine)
        expected = {"fallback": sum(conversation.misunderstood), "out_of_scope": conversation.out_of_scope,
                    "not_helped": conversation.not_helped, "no_match": conversation.no_match}
        assert {reason: counted.get(reason, 0) for reason in expected} == expected, conversation.sender
        missed = Counter(msg.text for msg, miss in zip(script, conversation.misunderstood) if miss)
        stored = Counter(row.text_redacted for row in mine if row.reason == "fallback")
        assert stored == missed, conversation.sender  # each one, once, as the family wrote it

        # A message the classifier missed but the answer bank (or the conversation) still answered is in the
        # inbox, but it is not a misunderstanding the family saw.
        seen = [miss and not (ANSWERED_ANYWAY & set(replies))
                for miss, replies in zip(conversation.misunderstood, conversation.replies)]
        offered = False  # a person was offered in reply to the previous message
        for index, miss in enumerate(seen):
            second_in_a_row = miss and index > 0 and seen[index - 1] and not offered
            offered = bool(HANDOFF_REPLIES & set(conversation.replies[index]))
            if second_in_a_row:
                assert offered and "utter_sorry_escalating" in conversation.replies[index], (
                    conversation.sender, script[index].text, conversation.replies)

    three_in_a_row = conversations[46][1]
    assert three_in_a_row.replies[0][0] == "utter_outside_area"  # Thurrock's own Local Offer, first
    # "short breaks in Thurrock" now has its own answer in the bank (short breaks there are Thurrock's, not
    # Essex's), so it is no longer a second misunderstanding: recorded for officers, answered for the family.
    assert BANK_ANSWER_RESPONSES & set(three_in_a_row.replies[1]) and three_in_a_row.misunderstood[1]
