"""Regular English plurals for the directory's kinds of help, shared by the entity ruler (bot.nlp.build) and the
directory's own vocabulary (bot.directory.vocabulary), so the two read "autism clubs" the same way."""
from __future__ import annotations


def plural(phrase: str) -> str:
    """The phrase with its last word made plural by the regular English rules ("autism club" -> "autism clubs",
    "activity" -> "activities", "class" -> "classes"); a word already ending in a single s is left as it is.

    Why: the entity ruler matches words as written (lower case), so without it "autism clubs in Basildon" found
    no kind of help, and the search was preceded by an answer on autism assessments."""
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
