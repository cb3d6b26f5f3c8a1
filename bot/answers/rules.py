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


def word_count(text: str) -> int:
    return len(text.split())


def has_html(text: str) -> bool:
    """A tag such as <b> or </p>: the chat shows plain text, so markup would reach families as symbols."""
    return bool(_TAG.search(text))


def opens_with_yes_or_no(text: str) -> bool:
    """The answer begins with a bare yes or no, or a first sentence that is only a reply ("Not yet.", "You may."),
    which is right only for one way of asking its question."""
    return bool(_BARE_YES_NO.match(text or "") or _BARE_REPLY.match(text or ""))


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
        problems["answer"] = ("Do not start the answer with Yes or No, or a reply such as 'Not yet.' or 'You may.': "
                              "families ask the same question both ways round. Start with the fact, for example "
                              "'Your child does not need a diagnosis.'")
    return problems
