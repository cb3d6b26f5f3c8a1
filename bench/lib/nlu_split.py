"""A stratified split of the training data, one NLU training on the larger part, the rest parsed.

Why here: choosing the fallback threshold (`fallback_threshold.py`) and comparing pipelines
(`pipeline_split.py`) must use the very same splits, so that neither reads a held-out test set and their
figures can be set side by side.
"""
from __future__ import annotations

import random
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.insight.evaluation import (
    parse_with_model,  # callers put the project root on sys.path, as for every bench script
)

ROOT = Path(__file__).resolve().parents[2]
_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass
class SplitRun:
    held: list[tuple[str, str]]  # held-back (text, intent)
    rows: list[dict]  # the whole pipeline's parse of each held-back text
    trained_examples: int
    train_seconds: float


def split_training_data(nlu: Path, share: float, seed: int) -> tuple[dict, list[tuple[str, str]]]:
    """(training part as one Rasa NLU document, held-back (text, intent) pairs), stratified by intent."""
    kept: list[dict] = []
    by_intent: dict[str, list[str]] = {}
    for path in sorted(nlu.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                kept.append(block)  # regex, lookup and synonym blocks
                continue
            lines = [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines()
                     if line.strip().startswith("- ")]
            by_intent.setdefault(block["intent"], []).extend(lines)
    rng = random.Random(seed)
    held: list[tuple[str, str]] = []
    for intent, lines in sorted(by_intent.items()):
        lines = sorted(set(lines))
        rng.shuffle(lines)
        cut = max(1, round(len(lines) * share))
        held += [(_MARKUP.sub(r"\1", line), intent) for line in lines[:cut]]
        kept.append({"intent": intent, "examples": "".join(f"- {line}\n" for line in lines[cut:])})
    return {"version": "3.1", "nlu": kept}, held


def train_and_parse(config: Path, share: float, seed: int) -> SplitRun:
    """Train `config` with `rasa train nlu` on one split and parse the held-back messages with that model."""
    with tempfile.TemporaryDirectory(prefix="nlu-split-") as tmp:
        data, held = split_training_data(ROOT / "data" / "nlu", share, seed)
        (Path(tmp) / "nlu.yml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        trained = sum(block["examples"].count("\n") for block in data["nlu"] if "intent" in block)
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "rasa"), "train", "nlu", "--config", str(config),
                        "--nlu", str(Path(tmp) / "nlu.yml"), "--out", tmp, "--fixed-model-name", "split", "--quiet"],
                       cwd=ROOT, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        rows = parse_with_model([text for text, _ in held], Path(tmp) / "split.tar.gz")
    return SplitRun(held, rows, trained, seconds)
