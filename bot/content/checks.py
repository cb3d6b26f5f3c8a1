"""Every check on the Local Offer content that goes beyond "does it load": `python -m bot check-content`.

Why a separate module from `bot.content.files`: loading refuses content that cannot be stored (a missing field, a
bad date). These checks catch content that loads but would mislead a family: a date in the future, a
section without a source, text too hard to read, initials nobody explained, a statutory figure that
contradicts the law, or a phone number nobody can trace to a source. Each check is a pure function over
the parsed content and the data files beside it (initials.yml, pinned_facts.yml, phone_numbers.yml), so a
test can feed it bad content and watch it fail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import yaml

from bot.content.files import SECTIONS, Article, Content, ContentError, ServiceRecord, needs_verify, read_content
from bot.guidance.deadlines import RulesError, parse_rules

INITIALS_FILE = "initials.yml"
PINNED_FILE = "pinned_facts.yml"
PHONES_FILE = "phone_numbers.yml"
DEADLINES_FILE = "deadline_rules.yml"

# UK numbers as families see them: 0 and 7 to 10 more digits, in groups ("0333 013 9949", "01702 215007",
# "0800 1111").
_PHONE = re.compile(r"(?<![\d+])0\d{2,4}(?:[ -]?\d{3,6}){1,2}(?!\d)")
_DATE_KEYS = ("checked", "page_date", "last_checked")
# How far from an initialism's first use its spelling-out may be (in characters), e.g.
# "Essex SENDIASS (SEND Information, Advice and Support Service)".
_NEARBY = 100


@dataclass(frozen=True)
class Problem:
    check: str  # which check found it: "dates", "sources", "readability", "initials", "pinned", "phones", "content"
    where: str  # file and entry, e.g. "guidance/draft_plan.yml: timescales"
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.where}: {self.message}"


# --------------------------------------------------------------------------------------------- reading


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def _yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yml") if p.is_file())


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every string in a YAML tree, skipping entries marked `example: true` and web
    addresses, which are not read as prose."""
    if isinstance(node, dict):
        if node.get("example") is True:
            return
        for key, value in node.items():
            if key in ("url", "web", "local_offer_url", "source_url", "source", "email"):
                continue
            yield from _strings(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{path}[{index + 1}]")
    elif isinstance(node, str):
        yield path, node


def _dates(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, key, value) for every date-like key anywhere in a YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if key in _DATE_KEYS or key == "review_due":
                yield here, str(key), value
            yield from _dates(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _dates(value, f"{path}[{index + 1}]")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _relative(path: Path, directory: Path) -> str:
    return str(path.relative_to(directory))


# ---------------------------------------------------------------------------------------------- checks


def check_dates(directory: Path, today: date) -> list[Problem]:
    """Every date is a real date and not in the future; a source page is not dated after it was checked."""
    problems = []
    for path in _yaml_files(directory):
        for where, key, value in _dates(_load(path)):
            if value is None and key == "page_date":
                continue
            day = value if isinstance(value, date) else None
            if day is None:
                try:
                    day = date.fromisoformat(str(value))
                except ValueError:
                    problems.append(Problem("dates", f"{_relative(path, directory)}: {where}",
                                            f"'{value}' is not a date like 2026-12-05"))
                    continue
            if key != "review_due" and day > today:
                problems.append(Problem("dates", f"{_relative(path, directory)}: {where}",
                                        f"{day} is in the future"))
    return problems


def check_sources(content: Content) -> list[Problem]:
    """Every article section with text, and every real listing, names its sources; `verify` where they are
    all undated or old (the loader enforces the same; this keeps the report complete on its own)."""
    problems = []
    for article in content.articles:
        where = f"guidance/{article.topic}.yml"
        for section in SECTIONS:
            if not article.section_items(section):
                continue
            sources = article.sources.get(section) or []
            if not sources:
                problems.append(Problem("sources", f"{where}: {section}", "has no sources"))
            elif needs_verify(sources) and section not in article.verify:
                problems.append(Problem("sources", f"{where}: {section}",
                                        "every source is undated or before 2022, so it needs verify: true"))
            for source in sources:
                if source.page_date and source.page_date > source.checked:
                    problems.append(Problem("sources", f"{where}: {section}",
                                            f"{source.url}: page date {source.page_date} is after it was checked"))
    for service in content.services:
        if service.example:
            continue
        where = f"services: service '{service.id}'"
        if not service.sources:
            problems.append(Problem("sources", where, "has no sources"))
        elif needs_verify(service.sources) and not service.verify:
            problems.append(
                Problem("sources", where, "every source is undated or before 2022, so it needs verify: true")
            )
    return problems


def check_readability(content: Content, minimum: float | None = None) -> list[Problem]:
    from bot.content.readability import MINIMUM_READING_EASE, score_article

    floor = MINIMUM_READING_EASE if minimum is None else minimum
    problems = []
    for article in content.articles:
        score = score_article(article)
        if score.reading_ease < floor:
            problems.append(
                Problem(
                    "readability",
                    f"guidance/{article.topic}.yml",
                    f"reading ease {score.reading_ease} is below {floor}: use shorter sentences and words",
                )
            )
    return problems


def check_answers(content: Content, minimum: float | None = None) -> list[Problem]:
    """The answer bank beyond what loading refuses: each answer plain enough to read alone (reading ease), its
    sources not dated after they were checked, and `verify` set whenever every source is undated or old."""
    import textstat

    from bot.content.readability import MINIMUM_READING_EASE

    floor = MINIMUM_READING_EASE if minimum is None else minimum
    problems = []
    for topic in content.answer_topics:
        for answer in topic.answers:
            where = f"answers/{topic.topic}.yml: answer '{answer.id}'"
            ease = round(textstat.flesch_reading_ease(answer.answer), 1)
            if ease < floor:
                problems.append(Problem("readability", where, f"reading ease {ease} is below {floor}: use shorter "
                                                              "sentences and words"))
            if needs_verify(answer.sources) and not answer.verify:
                problems.append(Problem("sources", where,
                                        "every source is undated or before 2022, so it needs verify: true"))
            for source in answer.sources:
                if source.page_date and source.page_date > source.checked:
                    problems.append(Problem("sources", where,
                                            f"{source.url}: page date {source.page_date} is after it was checked"))
    return problems


def read_initials(directory: Path) -> dict[str, list[str]]:
    data = _load(directory / INITIALS_FILE) or {}
    return {
        str(item["initials"]): [str(e) for e in item.get("expansions") or []] for item in data.get("initials") or []
    }


def unexplained_initials(text: str, initials: dict[str, list[str]]) -> list[str]:
    """The initials used in `text` whose first use is not spelled out nearby (before or after it)."""
    missing = []
    lowered = text.lower()
    for short, expansions in initials.items():
        match = re.search(rf"\b{re.escape(short)}s?\b", text)
        if not match:
            continue
        window = lowered[max(0, match.start() - _NEARBY): match.end() + _NEARBY]
        if not any(expansion.lower() in window for expansion in expansions):
            missing.append(short)
    return missing


def _answer_parts(content: Content) -> Iterator[tuple[str, str]]:
    """Each piece of text a family can be shown on its own, with where it lives."""
    for article in content.articles:
        for section in SECTIONS:
            items = article.section_items(section)
            if items:
                yield f"guidance/{article.topic}.yml: {section}", "\n".join(items)
    for service in content.services:
        if not service.example:
            for name in ("description", "referral", "eligibility"):
                text = getattr(service, name)
                if text:
                    yield f"services: service '{service.id}': {name}", text
    for topic in content.answer_topics:
        for answer in topic.answers:
            yield f"answers/{topic.topic}.yml: answer '{answer.id}'", answer.answer


def check_initials(content: Content, initials: dict[str, list[str]]) -> list[Problem]:
    return [Problem("initials", where, f"{short} is not spelled out at its first use ({initials[short][0]})")
            for where, text in _answer_parts(content) for short in unexplained_initials(text, initials)]


def check_pinned(directory: Path, texts: list[tuple[str, str]] | None = None) -> list[Problem]:
    """No sentence gives a different figure for a pinned statutory fact, and deadline_rules.yml agrees."""
    data = _load(directory / PINNED_FILE) or {}
    facts = data.get("facts") or []
    problems = []
    if texts is None:
        texts = [(f"{_relative(path, directory)}: {where}", text)
                 for path in _yaml_files(directory) if path.name != PINNED_FILE
                 for where, text in _strings(_load(path))]
    for fact in facts:
        patterns = [re.compile(p, re.I) for p in fact.get("patterns") or []]
        expected = str(fact["value"]).lower()
        for where, text in texts:
            for sentence in _sentences(text):
                wrong = next((m.group("value") for p in patterns for m in p.finditer(sentence)
                              if m.group("value").lower() != expected), None)
                if wrong:  # one report per fact and sentence, however many patterns saw it
                    problems.append(Problem("pinned", where, f"says '{wrong}' where the law says {fact['value']} "
                                            f"({fact['id']}): \"{sentence}\""))
    problems += _check_rules_file(directory, facts)
    return problems


def _check_rules_file(directory: Path, facts: list[dict[str, Any]]) -> list[Problem]:
    path = directory / DEADLINES_FILE
    if not path.exists():
        return []
    try:
        rules = parse_rules(_load(path) or {})
    except RulesError as error:
        return [Problem("pinned", DEADLINES_FILE, str(error))]
    by_key = {rule.key: rule for event in rules.events.values() for rule in event}
    problems = []
    for fact in facts:
        pinned = fact.get("rule")
        if not pinned:
            continue
        rule = by_key.get(pinned["key"])
        if rule is None:
            problems.append(Problem("pinned", DEADLINES_FILE, f"rule '{pinned['key']}' is missing ({fact['id']})"))
            continue
        unit = next(u for u in ("weeks", "days", "months") if u in pinned)
        if (rule.unit, rule.amount) != (unit, pinned[unit]):
            problems.append(Problem("pinned", f"{DEADLINES_FILE}: {rule.key}",
                                    f"is {rule.amount} {rule.unit}; the law says {pinned[unit]} {unit}"))
        if bool(pinned.get("counts_start_day")) != rule.counts_start_day:
            problems.append(Problem("pinned", f"{DEADLINES_FILE}: {rule.key}",
                                    "must count the period from the day itself (counts_start_day: "
                                    f"{str(bool(pinned.get('counts_start_day'))).lower()})"))
    return problems


def normalise_phone(number: str) -> str:
    return re.sub(r"\D", "", number)


def read_allowed_phones(directory: Path) -> dict[str, dict[str, Any]]:
    data = _load(directory / PHONES_FILE) or {}
    return {normalise_phone(str(item["number"])): item for item in data.get("numbers") or []}


def check_phones(directory: Path, allowed: dict[str, dict[str, Any]] | None = None) -> list[Problem]:
    """Every phone number in content not marked `example: true` is on the allow-list, which gives its source."""
    allowed = read_allowed_phones(directory) if allowed is None else allowed
    problems = []
    for path in _yaml_files(directory):
        if path.name == PHONES_FILE:
            continue
        for where, text in _strings(_load(path)):
            for number in _PHONE.findall(text):
                if not 8 <= len(normalise_phone(number)) <= 11:
                    continue
                if normalise_phone(number) not in allowed:
                    problems.append(Problem("phones", f"{_relative(path, directory)}: {where}",
                                            f"{number} is not in {PHONES_FILE} (a number with a source); "
                                            "never invent one, or mark the entry example: true"))
    for item in allowed.values():
        if not str(item.get("source") or "").startswith(("http://", "https://")):
            problems.append(Problem("phones", PHONES_FILE, f"{item.get('number')} has no source web address"))
    return problems


# ------------------------------------------------------------------------------------------------ all


def run_checks(directory: Path, today: date | None = None) -> list[Problem]:
    """All the checks over one content folder; an empty list means the content passed."""
    today = today or date.today()
    try:
        content = read_content(directory)
    except ContentError as error:
        return [Problem("content", "load", problem) for problem in error.problems]
    return (check_dates(directory, today) + check_sources(content) + check_readability(content) + check_answers(content)
            + check_initials(content, read_initials(directory)) + check_pinned(directory) + check_phones(directory))


__all__ = [
    "Article",
    "Problem",
    "ServiceRecord",
    "check_answers",
    "check_dates",
    "check_initials",
    "check_phones",
    "check_pinned",
    "check_readability",
    "check_sources",
    "normalise_phone",
    "read_allowed_phones",
    "read_initials",
    "run_checks",
    "unexplained_initials",
]
