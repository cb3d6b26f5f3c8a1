"""The hostile cases from cases.yml, expanded (repeats, wrapped variants) into plain objects for the tests.

Why a generator: a 100 KB message or 200 wrapped variants are easier to review as one line of data than as
a file of their expansion, and the YAML stays the single list of what we throw at the assistant.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CASES_FILE = Path(__file__).with_name("cases.yml")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a repeated key, so a copied case cannot silently replace another."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    repeated = {k for k in keys if keys.count(k) > 1}
    if repeated:
        raise ValueError(f"{CASES_FILE.name}: repeated key(s) {sorted(map(str, repeated))} near line "
                         f"{node.start_mark.line + 1}")
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


@dataclass(frozen=True)
class TextCase:
    id: str
    category: str
    text: str

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class BodyCase:
    id: str
    content_type: str | None
    body: bytes
    statuses: tuple[int, ...]

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Cases:
    texts: tuple[TextCase, ...]
    bodies: tuple[BodyCase, ...]  # raw bodies, sender cases and JSON shapes, all as requests

    @property
    def count(self) -> int:
        return len(self.texts) + len(self.bodies)


def _statuses(value: Any) -> tuple[int, ...]:
    return tuple(int(v) for v in (value if isinstance(value, list) else [value]))


@lru_cache(maxsize=1)
def load_cases(path: Path = CASES_FILE) -> Cases:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (SafeLoader)
    texts: list[TextCase] = []
    for category, entries in data["texts"].items():
        texts += [TextCase(f"{category}.{name}", category, str(text)) for name, text in entries.items()]
    for category, entries in data["repeat"].items():
        texts += [TextCase(f"{category}.{name}", category, str(unit) * int(times))
                  for name, (unit, times) in entries.items()]
    wrapped: list[TextCase] = []
    for number, template in enumerate(data["wrap"]["templates"], start=1):
        wrapped += [TextCase(f"{case.id}@wrap{number}", case.category, template.replace("{payload}", case.text))
                    for case in texts if case.category in data["wrap"]["categories"]]
    texts += wrapped

    bodies: list[BodyCase] = []
    for entry in data["bodies"]:
        if "body_hex" in entry:
            raw = bytes.fromhex(entry["body_hex"])
        elif "body_parts" in entry:
            raw = "".join(str(text) * int(times) for text, times in entry["body_parts"]).encode("utf-8")
        else:
            raw = str(entry["body"]).encode("utf-8")
        bodies.append(BodyCase(f"body.{entry['id']}", entry.get("content_type"), raw, _statuses(entry["status"])))
    for entry in data["senders"]:
        document: dict[str, Any] = {"message": "hello"}
        if "sender_repeat" in entry:
            unit, times = entry["sender_repeat"]
            document["sender"] = str(unit) * int(times)
        elif not entry.get("omit"):
            document["sender"] = entry["sender"]
        bodies.append(BodyCase(f"sender.{entry['id']}", "application/json", json.dumps(document).encode("utf-8"),
                               _statuses(entry["status"])))
    for entry in data["shapes"]:
        bodies.append(BodyCase(f"shape.{entry['id']}", "application/json", json.dumps(entry["json"]).encode("utf-8"),
                               _statuses(entry["status"])))

    ids = [c.id for c in texts] + [c.id for c in bodies]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{path.name}: repeated case ids {repeated}")
    return Cases(tuple(texts), tuple(bodies))


def text_cases(*categories: str) -> list[TextCase]:
    cases = load_cases().texts
    return [c for c in cases if not categories or c.category in categories]


def body_cases() -> list[BodyCase]:
    return list(load_cases().bodies)


def hostile_payloads(text: str) -> list[str]:
    """The parts of `text` that must never appear unescaped in an HTML page."""
    markers = ("<script", "<img", "<svg", "<iframe", "<style", "<body", "<meta", "<object", "<details", "<math",
               "<a href", "<div style", "</textarea", "</title", "<!doctype", "<b>")
    lowered = text.lower()
    return [m for m in markers if m in lowered]
