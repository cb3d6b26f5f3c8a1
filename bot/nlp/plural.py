"""Regular English plurals for the directory's kinds of help (bot.directory.vocabulary).

The entity ruler (bot.nlp.build) does not use them: with "autism clubs" and "support groups" as entities, a blind
follow-up set lost one conversation in the whole chat (followups v4 57 -> 56 of 80) and no probe set gained
(bench/answers.md)."""
from __future__ import annotations


def plural(phrase: str) -> str:
    """The phrase with its last word made plural by the regular English rules ("autism club" -> "autism clubs",
    "activity" -> "activities", "class" -> "classes"); a word already ending in a single s is left as it is.

    Why: the vocabulary matches words as written, so "holiday clubs", typed as the kind of help the search form
    asked for, got "Sorry, I didn't recognise that kind of help"."""
    head, _, last = phrase.rpartition(" ")
    if not last or (last.endswith("s") and not last.endswith("ss")):
        return phrase
    if last.endswith(("ss", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and len(last) > 1 and last[-2] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last
