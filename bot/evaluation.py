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

import yaml

from bot.config import ROOT

FALLBACK = "nlu_fallback"


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
    errors: list[dict] = field(default_factory=list)

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
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
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


def parse_with_model(texts: list[str], model: Path) -> list[dict]:
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


def score(examples: list[Example], predictions: list[str], details: list[dict] | None = None) -> Report:
    labels = sorted({e.label for e in examples})
    true_positive, predicted, actual = Counter(), Counter(), Counter()
    confusions: Counter = Counter()
    errors = []
    for index, (example, guess) in enumerate(zip(examples, predictions)):
        actual[example.label] += 1
        predicted[guess] += 1
        if guess == example.label:
            true_positive[guess] += 1
        else:
            confusions[(example.label, guess)] += 1
            errors.append({"text": example.text, "label": example.label, "predicted": guess,
                           **({"ranking": details[index].get("ranking")} if details else {})})
    per_intent = {}
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
