"""The limits every answer meets, wherever it is written (a content file or the staff console).

Why one module: the loader and the console's edit form must refuse the same things, in the same words, so an
answer an officer saves can always be loaded again from a file and the other way round.
"""
from __future__ import annotations

import re

MAX_WORDS = 80  # a reply a parent reads on a phone without scrolling
MAX_CHARACTERS = 1000
MIN_VARIANTS, MAX_VARIANTS = 3, 8
MAX_QUESTION_CHARACTERS = 300
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
# "Yes." or "No," as the answer's first word. An answer is found by meaning, so it reaches questions asked either
# way round: "Yes. Your child does not need a diagnosis" was shown to "does my son need a diagnosis?".
_BARE_YES_NO = re.compile(r"^\W*(yes|no)\s*([.,!;:]|$)", re.IGNORECASE)  # "No diagnosis is needed" is fine
# The same for an elliptical reply as the whole first sentence: "Not yet.", "Usually not.", "You may.", "Possibly."
_BARE_REPLY = re.compile(
    r"^\W*(?:(?:not|usually|often|possibly|maybe|perhaps|sometimes|clearly|probably)(?: \w+){0,2}"
    r"|(?:it|you|they|he|she|there|we) (?:can|may|might|could|must|does|do|will|is|are)(?: not)?(?: (?:have to|be))?)"
    r"\s*[.!?]", re.IGNORECASE)

# A first sentence that is only a phrase, the rest of a question it does not repeat: "At least 15 days.", "Before 18.",
# "From the day the council gets your request.", "Only if the school is wrong for ...". Right after its own question,
# it reads as nonsense after another: "Only if the school is wrong..." was shown to "the council named a school we
# didn't want". A phrase that opens a full sentence ("After ... Year 11, your child makes ...") is fine.
_FIRST_SENTENCE = re.compile(r"^\W*(.+?[.!?])(?=\s|$)", re.DOTALL)
_PHRASE_OPENING = re.compile(r"^(?:at least|up to|from|by|before|after|within|until)\b", re.IGNORECASE)
_MAIN_VERB = re.compile(r"\b(?:can|cannot|can't|must|will|should|may|might|is|are|was|were|has to|have to|need to"
                        r"|needs to)\b", re.IGNORECASE)
_PHRASE_GOES_ON = re.compile(r",\s*(?:or|and|in|only|but)\b", re.IGNORECASE)
_REPLY_PHRASE = re.compile(r"^(?:only (?:if|on|in|when|for|while)|not (?:if|because|as|unless|until)|often a|"
                           r"it depends|in practice, (?:in|at|by|from))\b", re.IGNORECASE)

# A first sentence that is only an amount of time ("Six weeks.", "15 school days."): a reply to "how long", wrong
# after "where do I report a worry and how long does an assessment take".
_AMOUNT_ONLY = re.compile(
    r"^(?:about |around |roughly |up to |at least |at most |usually |normally )?"
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|sixteen|twenty|a few)"
    r"(?: to (?:\d+|\w+))?\s+(?:school |working |calendar |clear )?(?:days?|weeks?|months?|years?|terms?)[.!?]$",
    re.IGNORECASE)


def word_count(text: str) -> int:
    return len(text.split())


def has_html(text: str) -> bool:
    """A tag such as <b> or </p>: the chat shows plain text, so markup would reach families as symbols."""
    return bool(_TAG.search(text))


def opens_with_yes_or_no(text: str) -> bool:
    """The answer begins with a bare yes or no, or a first sentence that is only a reply ("Not yet.", "You may."),
    which is right only for one way of asking its question."""
    return bool(_BARE_YES_NO.match(text or "") or _BARE_REPLY.match(text or "") or opens_with_a_phrase(text))


def opens_with_a_phrase(text: str) -> bool:
    """The first sentence is a phrase with no clause of its own ("At least 15 days.", "Only on help that is agreed in
    the plan."): it leans on the question's words, so it fails every other wording that reaches the answer."""
    first = _FIRST_SENTENCE.match(text or "")
    if not first:
        return False
    sentence = first.group(1)
    if _REPLY_PHRASE.match(sentence) or _AMOUNT_ONLY.match(sentence.strip()):
        return True
    if not _PHRASE_OPENING.match(sentence):
        return False
    before_comma = sentence.split(",", 1)[0]
    return not _MAIN_VERB.search(before_comma) and ("," not in sentence or bool(_PHRASE_GOES_ON.search(sentence)))


def split_variants(text: str) -> list[str]:
    """One variant a line, blank lines and repeats (ignoring case) dropped."""
    seen: set[str] = set()
    result = []
    for line in (text or "").splitlines():
        line = " ".join(line.split())
        if line and line.lower() not in seen:
            seen.add(line.lower())
            result.append(line)
    return result


def check_answer_fields(
    question: str, variants: list[str], answer: str, answer_id: str | None = None
) -> dict[str, str]:
    """Field name -> what is wrong, in words an officer can act on; empty when the fields are fine."""
    problems: dict[str, str] = {}
    if answer_id is not None:
        if not answer_id.strip():
            problems["answer_id"] = "Enter an id, for example annual-review-how-often"
        elif not _SLUG.match(answer_id):
            problems["answer_id"] = "The id must use only lower-case letters, digits, '-' or '_' (at most 100)"
    if not question.strip():
        problems["question"] = "Enter the question"
    elif len(question) > MAX_QUESTION_CHARACTERS:
        problems["question"] = f"The question must be {MAX_QUESTION_CHARACTERS} characters or fewer"
    elif has_html(question):
        problems["question"] = "The question must be plain text, without HTML tags such as <b>"
    if any(has_html(v) for v in variants):
        problems["variants"] = "Other wordings must be plain text, without HTML tags such as <b>"
    elif not MIN_VARIANTS <= len(variants) <= MAX_VARIANTS:
        problems["variants"] = (f"Enter between {MIN_VARIANTS} and {MAX_VARIANTS} other wordings, one a line "
                                f"(you entered {len(variants)})")
    elif any(len(v) > MAX_QUESTION_CHARACTERS for v in variants):
        problems["variants"] = f"Each other wording must be {MAX_QUESTION_CHARACTERS} characters or fewer"
    if not answer.strip():
        problems["answer"] = "Enter the answer"
    elif has_html(answer):
        problems["answer"] = "The answer must be plain text, without HTML tags such as <b>"
    elif len(answer) > MAX_CHARACTERS:
        problems["answer"] = f"The answer must be {MAX_CHARACTERS:,} characters or fewer (it has {len(answer):,})"
    elif word_count(answer) > MAX_WORDS:
        problems["answer"] = f"The answer must be {MAX_WORDS} words or fewer (it has {word_count(answer)})"
    elif opens_with_yes_or_no(answer):
        problems["answer"] = ("Do not start the answer with Yes or No, or a reply such as 'Not yet.', 'You may.' or "
                              "'At least 15 days.': families ask the same question in other words. Start with the "
                              "fact in a whole sentence, for example 'Your child does not need a diagnosis.'")
    return problems
