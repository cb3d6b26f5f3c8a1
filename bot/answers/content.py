"""Read and check data/local_offer/answers/*.yml: one file a topic, each a list of short answers.

Why it reports rather than stops: officers edit these files by hand, so every problem is listed with its file,
entry and field, and `bot.content.files.read_content` refuses the whole load if there is any (all-or-nothing).
Checks here are the ones that make an answer unusable (missing fields, too long, a related service or guidance
section that does not exist, a repeated id); softer ones (reading ease) are in `bot.content.checks`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.answers.rules import check_answer_fields

if TYPE_CHECKING:
    from bot.content.files import Content, Source, _Checker

FOLDER = "answers"
FACT_KINDS = ("statutory", "local")
_ENTRY_KEYS = {"id", "question", "variants", "answer", "facts", "sources", "verify", "verify_note", "related"}
_FILE_KEYS = {"topic", "title", "answers"}


@dataclass
class AnswerRecord:
    id: str
    topic: str
    question: str
    variants: list[str]
    answer: str
    facts: list[dict[str, str]] = field(default_factory=list)
    sources: list["Source"] = field(default_factory=list)
    verify: bool = False
    verify_note: str = ""
    related: dict[str, list[str]] = field(default_factory=dict)
    file: str = ""
    vectors: Any = None  # (len(texts), 384) float32, set by bot.answers.vectors.attach_vectors before writing

    @property
    def texts(self) -> list[str]:
        """The wordings whose vectors are stored, in order: the question, each variant, then the answer."""
        return [self.question, *self.variants, self.answer]


@dataclass
class AnswerTopicRecord:
    topic: str
    title: str
    answers: list[AnswerRecord] = field(default_factory=list)


def read_answers(directory: Path, check: "_Checker", content: "Content") -> list[AnswerTopicRecord]:
    """Every answer file under `directory/answers`, checked against the services and guidance in `content`."""
    from bot.content.files import _read_yaml

    folder = directory / FOLDER
    topics: list[AnswerTopicRecord] = []
    services = {s.id for s in content.services}
    sections = _known_sections(content)
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        where = f"{FOLDER}/{path.name}"
        data = _read_yaml(path, check)
        if not isinstance(data, dict):
            check.problems.append(f"{where}: must be a mapping with topic, title and answers")
            continue
        for key in sorted(set(map(str, data)) - _FILE_KEYS):
            check.add(where, key, "is not a field of an answer file (topic, title, answers)")
        topic = check.text(where, data, "topic")
        if topic and topic != path.stem:
            check.add(where, "topic", f"'{topic}' must match the file name '{path.stem}'")
        record = AnswerTopicRecord(topic=topic, title=check.text(where, data, "title"))
        entries = data.get("answers")
        if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
            check.add(where, "answers", "must be a list of answer entries, with at least one")
            entries = []
        for index, entry in enumerate(entries):
            entry_where = f"{where}: answer '{entry.get('id') or index + 1}'"
            record.answers.append(_read_entry(check, entry_where, entry, topic, services, sections, where))
        topics.append(record)
    _check_unique_ids(check, topics)
    return topics


def _known_sections(content: "Content") -> set[str]:
    from bot.content.files import SECTIONS

    return {f"{a.topic}.{section}" for a in content.articles for section in SECTIONS}


def _read_entry(check: "_Checker", where: str, entry: dict[str, Any], topic: str, services: set[str],
                sections: set[str], file: str) -> AnswerRecord:
    for key in sorted(set(map(str, entry)) - _ENTRY_KEYS):
        check.add(where, key, "is not a field of an answer")
    answer_id = check.text(where, entry, "id")
    question = check.text(where, entry, "question")
    answer = " ".join(check.text(where, entry, "answer").split())
    variants = _variants(check, where, entry)
    for name, message in check_answer_fields(question, variants, answer, answer_id or None).items():
        if (name, message) != ("question", "Enter the question") and (name, message) != ("answer", "Enter the answer"):
            check.add(where, "id" if name == "answer_id" else name, message)
    facts = _facts(check, where, entry.get("facts"))
    sources = check.sources(where, entry.get("sources"), "sources")
    verify, note = check.verify_flag(where, entry), check.text(where, entry, "verify_note", required=False)
    if verify and not note:  # whether the sources call for `verify` is a check-content finding, not a refusal
        check.add(where, "verify_note", "is missing: say what an officer must re-read")
    related = _related(check, where, entry.get("related"), services, sections)
    return AnswerRecord(id=answer_id, topic=topic, question=question, variants=variants, answer=answer,
                        facts=facts, sources=sources, verify=verify, verify_note=note, related=related, file=file)


def _variants(check: "_Checker", where: str, entry: dict[str, Any]) -> list[str]:
    value = entry.get("variants")
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        check.add(where, "variants", "must be a list of text, one wording a line")
        return []
    return [" ".join(v.split()) for v in value]


def _facts(check: "_Checker", where: str, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        check.add(where, "facts", "must be a list of {text, kind}, with at least one fact")
        return []
    facts = []
    for index, item in enumerate(value):
        label = f"facts[{index + 1}]"
        if not isinstance(item, dict) or not str(item.get("text") or "").strip():
            check.add(where, label, "must be {text: ..., kind: statutory|local}")
            continue
        if item.get("kind") not in FACT_KINDS:
            check.add(where, f"{label}.kind", f"'{item.get('kind')}' is not one of {', '.join(FACT_KINDS)}")
        facts.append({"text": str(item["text"]).strip(), "kind": str(item.get("kind"))})
    return facts


def _related(check: "_Checker", where: str, value: Any, services: set[str], sections: set[str]) -> dict[str, list[str]]:
    if value is None:
        return {"sections": [], "services": []}
    if not isinstance(value, dict) or set(map(str, value)) - {"sections", "services"}:
        check.add(where, "related", "must be {sections: [topic.section], services: [service ids]}")
        return {"sections": [], "services": []}
    related: dict[str, list[str]] = {}
    for name, known, what in (("sections", sections, "a guidance section (topic.section)"),
                              ("services", services, "a service id in data/local_offer/services")):
        items = value.get(name) or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            check.add(where, f"related.{name}", "must be a list of text")
            items = []
        for item in items:
            if item not in known:
                check.add(where, f"related.{name}", f"'{item}' is not {what}")
        related[name] = list(items)
    return related


def _check_unique_ids(check: "_Checker", topics: list[AnswerTopicRecord]) -> None:
    seen: dict[str, str] = {}
    for topic in topics:
        for answer in topic.answers:
            if not answer.id:
                continue
            if answer.id in seen:
                check.add(f"{answer.file}: answer '{answer.id}'", "id",
                          f"is already used in {seen[answer.id]}; every answer needs its own id")
            else:
                seen[answer.id] = answer.file
