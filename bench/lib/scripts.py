"""The scripted conversations the load benchmark sends: ours, and Rasa's own example bot's.

Why scripted and tagged: each message says what it exercises ("utter": a response from the domain only;
"action": a custom action on the action server, some of which write to the database; "form": the service
search form's validation and search), so latency can be split by kind without touching the servers.
Each of our conversations says "No" at most once, so none is handed to a person (that path depends on the
time of day, and would make runs differ).
"""
from __future__ import annotations

from typing import NamedTuple


class Turn(NamedTuple):
    text: str
    kind: str
    expect: str | None = None  # a domain response the reply should include (counted, never required)


OUR_SCRIPTS: list[list[Turn]] = [
    [  # a guidance question, "yes" to "Did this help?" (a feedback write), a section by button
        Turn("hello", "utter", "utter_greet"),
        Turn("how do I ask for an EHC needs assessment for my son?", "action", "utter_did_that_help"),
        Turn("yes", "action", "utter_glad_it_helped"),
        Turn('/more_info{"section": "timescales"}', "action"),
        Turn("thanks", "utter", "utter_you_are_welcome"),
    ],
    [  # the service search form, one answer at a time, "no" (two writes), then more results
        Turn("I need help finding speech therapy near me", "form", "utter_ask_search_area"),
        Turn("Colchester", "form", "utter_ask_search_age"),
        Turn("she is 7", "form", "utter_services_intro"),
        Turn("no", "action", "utter_sorry_not_helped"),
        Turn("/more_services", "action"),
        Turn("bye", "utter", "utter_goodbye"),
    ],
    [  # a deadline question: dates worked out from the rules
        Turn("I asked for an assessment on 3 March, when should I hear back?", "action", "utter_deadlines"),
        Turn("yes", "action", "utter_glad_it_helped"),
        Turn('/more_info{"section": "if_it_goes_wrong"}', "action"),
        Turn("thank you", "utter", "utter_you_are_welcome"),
    ],
    [  # everything in one message, a question in plain words, then a long misspelt one (models differ on
       # it: the SEN support answer, or the fallback action that records it for officers)
        Turn("autism support groups in Basildon for my 10 year old", "form", "utter_services_intro"),
        Turn("yes", "action", "utter_glad_it_helped"),
        Turn("what is an EHCP?", "action", "utter_did_that_help"),
        Turn("the school says they cant meet his needs and hes been on sen suport for 2 years, "
             "what do i do now", "action"),
        Turn("goodbye", "utter", "utter_goodbye"),
    ],
    [  # transport and moving school, and a question the bot must decline (recorded too)
        Turn("how does schol transport work for my daughter", "action", "utter_did_that_help"),
        Turn("no", "action", "utter_sorry_not_helped"),
        Turn("can you help me with my council tax", "action", "utter_out_of_scope"),
        Turn("he's moving to secondary school in september, what happens to his plan", "action",
             "utter_did_that_help"),
        Turn("bye", "utter", "utter_goodbye"),
    ],
]

EXAMPLE_SCRIPTS: list[list[Turn]] = [
    [Turn("hi", "utter", "utter_greet"), Turn("I am sad", "utter", "utter_cheer_up"),
     Turn("yes", "utter", "utter_happy"), Turn("bye", "utter", "utter_goodbye")],
    [Turn("hello", "utter", "utter_greet"), Turn("I am feeling very good", "utter", "utter_happy"),
     Turn("bye", "utter", "utter_goodbye")],
    [Turn("hey there", "utter", "utter_greet"), Turn("I am sad", "utter", "utter_cheer_up"),
     Turn("no", "utter", "utter_goodbye"), Turn("goodbye", "utter", "utter_goodbye")],
    [Turn("good morning", "utter", "utter_greet"), Turn("are you a bot?", "utter", "utter_iamabot"),
     Turn("great", "utter", "utter_happy"), Turn("see you later", "utter", "utter_goodbye")],
]


def response_prefixes(domain: dict) -> dict[str, str]:
    """Each response's fixed opening (the text before its first {slot}), to recognise it in a reply."""
    prefixes = {}
    for name, variants in (domain.get("responses") or {}).items():
        text = str((variants or [{}])[0].get("text") or "")
        prefixes[name] = text.split("{")[0].strip()
    return prefixes


def as_expected(body: object, expect: str | None, prefixes: dict[str, str]) -> bool:
    """True when the reply includes the expected response (or nothing particular was expected)."""
    prefix = prefixes.get(expect or "", "")
    if not expect or not prefix:
        return True
    texts = [str(item.get("text") or "") for item in body if isinstance(item, dict)] if isinstance(body, list) else []
    return any(text.strip().startswith(prefix) for text in texts)
