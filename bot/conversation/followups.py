"""Short follow-up questions the classifier misses but the topic just answered makes clear.

Why: "where do I send the letter to?" after the assessment answer was not understood (the article says "write
to Essex County Council" and stops there). The question only makes sense with the topic, so it is recognised
from its words plus the topic (or words naming the request), not trained as an intent of its own.
"""
from __future__ import annotations

import re

# Topics whose answer tells the family to write to the council.
REQUEST_TOPICS = frozenset({"request_assessment", "assessment_timeline", "assessment_refused"})
_WHERE_TO_SEND = re.compile(
    r"\b(?:where|who|which address|what address)\b[^?.!]{0,40}\b(?:send|post|email|e-mail|submit|hand in|address)\b"
    r"|\b(?:address|email address)\b[^?.!]{0,30}\b(?:send|request|letter|for)\b")
_REQUEST_WORDS = re.compile(r"\b(?:request|letter|assessment|ehcna|ehc|ehcp|application)\b")


def asks_where_to_send_request(text: str, topic: str | None) -> bool:
    """'where do I send the letter to?' after an assessment answer, or 'where do I send my EHCP request?'."""
    lowered = (text or "").lower().replace("’", "'")
    if not _WHERE_TO_SEND.search(lowered):
        return False
    return topic in REQUEST_TOPICS or bool(_REQUEST_WORDS.search(lowered))


# Replies to the assistant's last turn that a question is often mistaken for: "is that right?" read as "yes",
# "should it be like that?" as "no", "are we out of time?" as "bye".
REPLY_INTENTS = frozenset({"affirm", "deny", "goodbye", "thank"})
# "Will that still be free?" after the transport answer was read as asking whether this is a bot. A question about
# the assistant names it ("are you a robot?", "is this a real person?", "am I talking to a computer?"); one that
# does not is a follow-up too.
ABOUT_THE_ASSISTANT = "bot_challenge"
_NAMES_THE_ASSISTANT = re.compile(r"\b(?:you|your|u|ur|bot|robot|chat ?bot|chat ?gpt|gpt|human|person|people|real|ai|"
                                  r"artificial|automat\w*|computer|machine|program|alive|talking|speaking|chatting|"
                                  r"replying|reading|answering|someone|somebody|anyone|anybody|me|who is this|"
                                  r"who's this|whos this)\b")
FOLLOW_UP_INTENT = "more_info"
# A question that opens with a plain reply word ("no, is there anyone else?", "ok thanks, can I ask...") is the
# reply it opens with, and then a question: it keeps its intent.
_OPENS_WITH_A_REPLY = re.compile(r"^\W*(?:yes|yeah|yep|yup|no|nope|nah|ok|okay|thanks|thank you|cheers|bye|"
                                 r"goodbye|great|brilliant|perfect|lovely)\b")
# A question without its '?': a wh-word, or an auxiliary followed by who it asks about ("is that", "can we",
# "should it"), after an optional "so"/"and"/"but" ("have to go, the kids are home" is no question). Stricter than
# bot.nlp.encoder.is_question, which takes any sentence opening with an auxiliary: here a wrong "yes" would
# turn a real reply into a question.
_QUESTION_START = re.compile(
    r"^\W*(?:(?:so|and|but)\s+)?(?:(?:how|what|whats|what's|when|where|who|whos|who's|why|which)\b"
    r"|(?:can|could|do|does|did|is|isnt|isn't|are|arent|aren't|will|would|should|shouldnt|shouldn't|has|hasnt|"
    r"hasn't|have|havent|haven't|must|may|was|were)\s+(?:i|we|you|they|he|she|it|that|this|there|these|those|"
    r"my|our|his|her|their|the|anyone|someone|anything)\b|(?:anything|any)\s+\w+)")


def question_not_a_reply(text: str, intent: str | None) -> bool:
    """A short question the classifier took for a reply ("is that right?" as affirm, "are we out of time?" as
    goodbye), or for a question about the assistant that does not name it ("will that still be free?"): it is a
    follow-up question, to be answered in the context of the last answer."""
    lowered = (text or "").lower().replace("’", "'").strip()
    if intent == ABOUT_THE_ASSISTANT:
        if _NAMES_THE_ASSISTANT.search(lowered):
            return False
    elif intent not in REPLY_INTENTS:
        return False
    if len(lowered.split()) < 3 or _OPENS_WITH_A_REPLY.match(lowered):
        return False
    return lowered.endswith("?") or bool(_QUESTION_START.match(lowered))
