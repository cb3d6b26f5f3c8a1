"""Score the assistant's understanding on labelled questions: per-intent precision, recall and F1, the
confusions that remain, and the recalls that matter most (safeguarding, out of scope).

Officers use it on their own lists (`python -m bot eval FILE.tsv`), and `make eval` on the held-out set.
Parsing happens in a child process (`components.parse_lines`) so this package stays free of Rasa.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.config import ROOT

FALLBACK = "nlu_fallback"
SAFEGUARDING = "safeguarding_urgent"
CLASSIFIER_ROUTE = "classifier"  # the safety net's name for "the model itself leaned to safeguarding"
LONG_MESSAGE = 150  # characters: real parents' messages split here into short questions and stories


@dataclass(frozen=True)
class Example:
    text: str
    label: str


@dataclass
class Report:
    per_intent: dict[str, dict[str, float]]
    accuracy: float
    macro_f1: float
    confusions: list[tuple[str, str, int]]
    total: int
    fallbacks: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    def recall(self, intent: str) -> float | None:
        row = self.per_intent.get(intent)
        return row["recall"] if row else None


def read_examples(path: Path, label: str | None = None) -> list[Example]:
    """`question<TAB>label` lines; Rasa NLU YAML (`- intent: x` with `examples: |`); or, with `label`,
    plain lines that all carry that label (e.g. a list of messages that must reach safeguarding)."""
    if path.suffix in (".yml", ".yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        examples = []
        for block in data.get("nlu", []):
            if "intent" in block:
                for line in str(block.get("examples", "")).splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        examples.append(Example(line[2:].strip(), block["intent"]))
        return examples
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t") if lines else []
    text_column = next((name for name in ("question", "text") if name in header), None)
    if text_column and "label" in header:  # a headed TSV such as real_dev.tsv (question, label, source)
        at_text, at_label = header.index(text_column), header.index("label")
        rows = [line.split("\t") for line in lines[1:] if line.strip()]
        return [Example(row[at_text].strip(), label or row[at_label].strip()) for row in rows]
    examples = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if label is not None:
            examples.append(Example(line.split("\t")[0].strip(), label))
            continue
        if "\t" not in line:
            raise ValueError(f"{path.name} line {number}: expected 'question<TAB>label'")
        text, line_label = line.rsplit("\t", 1)
        examples.append(Example(text.strip(), line_label.strip()))
    return examples


_ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def normalise(text: str) -> str:
    """Lower case, entity annotations unwrapped, punctuation dropped, spaces squeezed: two messages that
    normalise alike are the same message for the model's purposes."""
    text = _ANNOTATION.sub(r"\1", text.lower())
    return " ".join(re.sub(r"[^\w ]", "", text).split())


def training_texts(folder: Path) -> set[str]:
    """Every training example under `folder` (Rasa NLU YAML), normalised."""
    texts: set[str] = set()
    for path in sorted(folder.glob("*.yml")):
        texts.update(normalise(example.text) for example in read_examples(path))
    return texts


def split_seen(examples: list[Example], seen: set[str]) -> tuple[list[Example], list[Example]]:
    """(unseen, seen): test messages that are word for word a training example say nothing about how the
    model copes with new wording, so the headline figures leave them out."""
    unseen = [e for e in examples if normalise(e.text) not in seen]
    copies = [e for e in examples if normalise(e.text) in seen]
    return unseen, copies


def parse_with_model(texts: list[str], model: Path) -> list[dict[str, Any]]:
    """Run the model over `texts` in one child process (loading a model takes seconds; parsing, milliseconds)."""
    clean = [" ".join(t.split()) for t in texts]
    done = subprocess.run(
        [sys.executable, "-m", "components.parse_lines", str(model)],
        input="\n".join(clean) + "\n", capture_output=True, text=True, cwd=ROOT, check=False,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or len(lines) != len(clean):
        raise RuntimeError(f"the model could not parse the messages: {done.stderr[-2000:]}")
    return lines


def score(examples: list[Example], predictions: list[str], details: list[dict[str, Any]] | None = None) -> Report:
    labels = sorted({e.label for e in examples})
    true_positive: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    actual: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    errors: list[dict[str, Any]] = []
    for index, (example, guess) in enumerate(zip(examples, predictions)):
        actual[example.label] += 1
        predicted[guess] += 1
        if guess == example.label:
            true_positive[guess] += 1
        else:
            confusions[(example.label, guess)] += 1
            errors.append({"text": example.text, "label": example.label, "predicted": guess,
                           **({"ranking": details[index].get("ranking")} if details else {})})
    per_intent: dict[str, dict[str, float]] = {}
    for label in labels:
        precision = true_positive[label] / predicted[label] if predicted[label] else 0.0
        recall = true_positive[label] / actual[label] if actual[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = {"precision": precision, "recall": recall, "f1": f1, "support": actual[label]}
    total = len(examples)
    return Report(
        per_intent=per_intent,
        accuracy=sum(true_positive.values()) / total if total else 0.0,
        macro_f1=sum(r["f1"] for r in per_intent.values()) / len(per_intent) if per_intent else 0.0,
        confusions=[(a, b, n) for (a, b), n in confusions.most_common()],
        total=total,
        fallbacks=predicted[FALLBACK],
        errors=errors,
    )


def format_report(report: Report, title: str) -> str:
    lines = [f"# {title}", "", f"Messages: {report.total}. Accuracy: {report.accuracy:.3f}. "
             f"Macro F1: {report.macro_f1:.3f}. Fallbacks: {report.fallbacks}.", "",
             "| intent | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for name, row in sorted(report.per_intent.items()):
        lines.append(f"| {name} | {row['precision']:.2f} | {row['recall']:.2f} | {row['f1']:.2f} | {row['support']} |")
    lines += ["", "## Confusions (true -> predicted: count)", ""]
    lines += [f"- {a} -> {b}: {n}" for a, b, n in report.confusions[:30]] or ["- none"]
    return "\n".join(lines) + "\n"


@dataclass
class Measures:
    """The figures issue #15 tracks on real text, for one group of messages (all, one intent, one length)."""
    total: int
    top1: float
    top3: float
    fallback_rate: float
    safeguarding_recall: float | None
    ordinary: int
    false_emergency_pattern: int
    false_emergency_any: int

    @property
    def false_emergency_rate(self) -> float:
        return self.false_emergency_pattern / self.ordinary if self.ordinary else 0.0


def top_intents(parsed: dict[str, Any], k: int = 3) -> list[str]:
    """The first `k` intents of the ranking, leaving out nlu_fallback (it is a refusal, not a guess)."""
    names = [r["name"] for r in parsed.get("ranking") or [] if r.get("name") != FALLBACK]
    if not names and parsed.get("intent") and parsed["intent"] != FALLBACK:
        names = [parsed["intent"]]
    return names[:k]


def emergency_route(parsed: dict[str, Any]) -> str | None:
    """'pattern' when a danger pattern sent the message to safeguarding, 'classifier' when the model's own lean
    did, None when the message did not go there. The safety net names the pattern group that matched."""
    if parsed.get("intent") != SAFEGUARDING:
        return None
    return CLASSIFIER_ROUTE if parsed.get("safety_net") in (None, CLASSIFIER_ROUTE) else "pattern"


def measure(examples: list[Example], parsed: list[dict[str, Any]]) -> Measures:
    total = len(examples)
    top1 = sum(p.get("intent") == e.label for e, p in zip(examples, parsed))
    top3 = sum(e.label in top_intents(p) for e, p in zip(examples, parsed))
    fallbacks = sum(p.get("intent") == FALLBACK for p in parsed)
    risk = [(e, p) for e, p in zip(examples, parsed) if e.label == SAFEGUARDING]
    ordinary = [p for e, p in zip(examples, parsed) if e.label != SAFEGUARDING]
    return Measures(
        total=total,
        top1=top1 / total if total else 0.0,
        top3=top3 / total if total else 0.0,
        fallback_rate=fallbacks / total if total else 0.0,
        safeguarding_recall=(sum(p.get("intent") == SAFEGUARDING for _, p in risk) / len(risk)) if risk else None,
        ordinary=len(ordinary),
        false_emergency_pattern=sum(emergency_route(p) == "pattern" for p in ordinary),
        false_emergency_any=sum(emergency_route(p) is not None for p in ordinary),
    )


def measure_groups(examples: list[Example], parsed: list[dict[str, Any]]) -> dict[str, Measures]:
    """'all', '<=150 chars', '>150 chars' and 'intent:NAME' for every label present."""
    pairs = list(zip(examples, parsed))

    def of(selected: list[tuple[Example, dict[str, Any]]]) -> Measures:
        return measure([e for e, _ in selected], [p for _, p in selected])

    groups = {"all": of(pairs),
              f"<={LONG_MESSAGE} chars": of([x for x in pairs if len(x[0].text) <= LONG_MESSAGE]),
              f">{LONG_MESSAGE} chars": of([x for x in pairs if len(x[0].text) > LONG_MESSAGE])}
    for label in sorted({e.label for e in examples}):
        groups[f"intent:{label}"] = of([x for x in pairs if x[0].label == label])
    return groups


def format_measures(groups: dict[str, Measures]) -> str:
    """A Markdown table: one row per group, the columns of the bench/README.md targets."""
    lines = ["| messages | n | top-1 | top-3 | fallback | safeguarding recall | false emergency (pattern) "
             "| to safeguarding by any route |", "|---|---|---|---|---|---|---|---|"]
    for name, m in groups.items():
        recall = "" if m.safeguarding_recall is None else f"{m.safeguarding_recall:.2f}"
        false_flags = (f"{m.false_emergency_rate:.3f} ({m.false_emergency_pattern}/{m.ordinary})" if m.ordinary else "")
        lines.append(f"| {name} | {m.total} | {m.top1:.3f} | {m.top3:.3f} | {m.fallback_rate:.3f} | {recall} "
                     f"| {false_flags} | {m.false_emergency_any if m.ordinary else ''} |")
    return "\n".join(lines) + "\n"
