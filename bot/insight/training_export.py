"""Turn the questions officers assigned to an intent into training data: Rasa NLU YAML and a CSV for review.

Why here and not in the console: the export must be byte-for-byte predictable and testable without a web
server, and the same functions can serve a CLI later. Nothing here imports rasa; the YAML is written by hand in
the exact shape of data/nlu/*.yml (`version: "3.1"`, one `- intent:` block per intent, `examples: |`) so it can
be pasted into those files, and it is checked by parsing it back with PyYAML.

A literal block (`|`) keeps every character of an example as typed, so no YAML quoting is needed inside it; what
can still break a file is a line break, a control character or Rasa's entity mark-up (`[text](entity)`), so
those are neutralised in `clean_example`. Examples the training data already has are left out, and a wording
assigned to two different intents is left out of the YAML (and listed in a comment), because Rasa would be
taught both answers at once.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping

import yaml

_INTENT = re.compile(r"^[A-Za-z0-9_]+(?:/[A-Za-z0-9_]+)?$")
# Rasa reads "[text](entity)", "[text]{...}" and "[text][...]" as entity annotations: break the pair apart.
_ENTITY_MARKUP = re.compile(r"\]\s*([({\[])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control and format characters, line/paragraph separators, lone surrogates and unassigned code points.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
CSV_HEADER = ("text", "intent", "reason", "first_seen")


@dataclass(frozen=True)
class Example:
    """One assigned question: the redacted text and the intent an officer gave it."""

    text: str
    intent: str
    reason: str = ""
    first_seen: datetime | None = None


@dataclass(frozen=True)
class NluExport:
    """The examples that will go into the YAML, and those left out and why."""

    by_intent: dict[str, list[str]]
    already_known: int
    conflicts: list[str]

    @property
    def count(self) -> int:
        return sum(len(texts) for texts in self.by_intent.values())


def clean_example(text: str) -> str:
    """One line of plain text that a literal block and Rasa's reader both keep exactly."""
    kept = "".join(" " if unicodedata.category(ch) in _UNSAFE else ch for ch in text)
    return _ENTITY_MARKUP.sub(r"] \1", " ".join(kept.split()))


def example_key(text: str) -> str:
    """Two wordings that differ only in case or spacing are one example."""
    return " ".join(clean_example(text).casefold().split())


def plan_nlu_export(examples: Iterable[Example], known: Mapping[str, str] | None = None) -> NluExport:
    """Deduplicate, drop what the training data already has, and set aside wordings given two intents."""
    known = known or {}
    intents_of: dict[str, set[str]] = {}
    first: dict[tuple[str, str], str] = {}
    ordered = sorted(examples, key=lambda e: e.first_seen or datetime.min)  # stable: ties keep their order
    for example in ordered:
        if not _INTENT.match(example.intent or ""):
            raise ValueError(f"not an intent name: {example.intent!r}")
        text = clean_example(example.text)
        if not text:
            continue
        key = example_key(text)
        intents_of.setdefault(key, set()).add(example.intent)
        first.setdefault((key, example.intent), text)
    by_intent: dict[str, list[str]] = {}
    already_known = 0
    conflicts: dict[str, str] = {}
    for (key, intent), text in first.items():
        intents = intents_of[key] | ({known[key]} if key in known else set())
        if len(intents) > 1:
            conflicts.setdefault(key, text)
            continue
        if key in known:
            already_known += 1
            continue
        by_intent.setdefault(intent, []).append(text)
    return NluExport(dict(sorted(by_intent.items())), already_known, list(conflicts.values()))


def to_nlu_yaml(examples: Iterable[Example], known: Mapping[str, str] | None = None,
                generated: datetime | None = None) -> str:
    """Rasa 3 NLU training data for the assigned examples, in the layout of data/nlu/*.yml."""
    plan = plan_nlu_export(examples, known)
    stamp = f" on {generated:%Y-%m-%d %H:%M}" if generated else ""
    lines = [
        f"# Exported from the staff console{stamp}: {plan.count} new examples for {len(plan.by_intent)} intents.",
        "# Review them, then move each block into the matching file under data/nlu/ and retrain.",
    ]
    if plan.already_known:
        lines.append(f"# Left out: {plan.already_known} examples the training data already has.")
    if plan.conflicts:
        lines.append(f"# Left out: {len(plan.conflicts)} wordings given different intents; decide these first:")
        lines += [f"#   {text}" for text in plan.conflicts]
    lines += ['version: "3.1"', "nlu:" if plan.by_intent else "nlu: []"]
    for intent, texts in plan.by_intent.items():
        lines.append(f"- intent: {intent}")
        lines.append("  examples: |")
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: anything that could start a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(examples: Iterable[Example]) -> str:
    """Every assigned example (duplicates included, so counts stay true) as text,intent,reason,first_seen."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for example in sorted(examples, key=lambda e: (e.intent, e.first_seen or datetime.min, e.text)):
        seen = example.first_seen.strftime("%Y-%m-%d %H:%M") if example.first_seen else ""
        writer.writerow([csv_cell(clean_example(example.text)), csv_cell(example.intent),
                         csv_cell(example.reason), csv_cell(seen)])
    return out.getvalue()


def read_known_examples(nlu_dir: Path) -> dict[str, str]:
    """Example key -> intent for the training data already in data/nlu/, so the export adds only what is new."""
    known: dict[str, str] = {}
    for path in sorted(nlu_dir.glob("*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        for block in data.get("nlu") or [] if isinstance(data, dict) else []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    known.setdefault(example_key(_strip_markup(line[2:])), str(block["intent"]))
    return known


_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def _strip_markup(text: str) -> str:
    """'speech therapy in [Basildon](district)' -> 'speech therapy in Basildon', as a family would type it."""
    return _ANNOTATION.sub(r"\1", text)
