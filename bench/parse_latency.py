#!/usr/bin/env python
"""NLU parse latency of the trained model, in-process: model load time, then p50/p95/p99 per message.

Loads models/local-offer.tar.gz with rasa.core.agent.Agent (no server, no tracker, no actions: the NLU
pipeline alone, including the safety net), warms it up, and times ~300 varied messages one by one: short
and long questions from the held-out set (tests/nlu/heldout.yml, written apart from the training data),
the same questions with typing mistakes, long paragraphs made of several questions, and 30 messages of
1,000 characters (issue #15's length target). Prints a table and the process's resident memory, and writes
bench/results/parse_latency.csv and parse_latency.png.

    .venv/bin/python bench/parse_latency.py
    .venv/bin/python bench/parse_latency.py --texts "I'm looking for speech therapy" "Colchester"
"""
from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import logging
import os
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from lib.stats import fmt, percentile  # noqa: E402

from bot.insight.evaluation import read_examples  # noqa: E402

GROUPS = ("short", "medium", "long", "misspelt", "paragraph", "1000 chars")
LONG_CHARS = 1000


def misspell(text: str, rng: random.Random) -> str:
    """Typing mistakes a hurried parent makes: swapped, dropped and doubled letters in about a third of words."""
    words = text.split()
    for index, word in enumerate(words):
        if len(word) < 4 or rng.random() > 0.35:
            continue
        at = rng.randrange(1, len(word) - 1)
        change = rng.choice(("swap", "drop", "double"))
        if change == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
        elif change == "drop":
            word = word[:at] + word[at + 1:]
        else:
            word = word[:at] + word[at] + word[at:]
        words[index] = word
    return " ".join(words)


def build_messages(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(group, text): 60% held-out questions as written, 20% misspelt, 20% paragraphs of at least three
    questions and 40 words."""
    rng = random.Random(seed)
    texts = [" ".join(e.text.split()) for e in read_examples(ROOT / "tests" / "nlu" / "heldout.yml")]
    rng.shuffle(texts)
    plain_n, typo_n = int(count * 0.6), int(count * 0.2)
    para_n = count - plain_n - typo_n
    messages = []
    for text in texts[:plain_n]:
        words = len(text.split())
        messages.append(("short" if words <= 8 else "long" if words >= 30 else "medium", text))
    for text in texts[plain_n:plain_n + typo_n]:
        messages.append(("misspelt", misspell(text, rng)))
    for _ in range(para_n):
        parts = rng.sample(texts, 3)
        while sum(len(p.split()) for p in parts) < 40:
            parts.append(rng.choice(texts))
        messages.append(("paragraph", " ".join(parts)))
    for _ in range(max(count // 10, 1)):  # a parent's long story: held-out questions run on to 1,000 characters
        text = ""
        while len(text) < LONG_CHARS:
            text = f"{text} {rng.choice(texts)}".strip()
        messages.append(("1000 chars", text[:LONG_CHARS]))
    return messages


def rss_mb() -> tuple[float, float]:
    """(resident now, peak) of this process in MB, from /proc (Linux)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise every parse prints a debug line, and that is timed too
    logging.disable(logging.WARNING)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    agent = Agent.load(str(args.model))
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    await agent.parse_message("hello")
    first_ms = (time.perf_counter() - started) * 1000
    sha = hashlib.sha256(args.model.read_bytes()).hexdigest()[:12]
    load = os.getloadavg()
    print(f"Model {args.model} (sha256 {sha}); {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"import rasa: {import_s:.1f} s; Agent.load: {load_s:.1f} s; first parse: {first_ms:.0f} ms")

    if args.texts:
        for text in args.texts:
            result = await agent.parse_message(text)
            intent = result.get("intent") or {}
            ranking = ", ".join(f"{r['name']} {r['confidence']:.2f}" for r in (result.get("intent_ranking") or [])[:3])
            entities = ", ".join(f"{e['entity']}={e['value']}" for e in result.get("entities") or [])
            print(f"{text!r}: {intent.get('name')} {float(intent.get('confidence') or 0):.2f}  [{ranking}]  {entities}")
        return 0

    messages = build_messages(args.count)
    for _, text in messages[: args.warmup]:  # warm-up: the first calls build TF functions and caches
        await agent.parse_message(text)
    rows = []
    for group, text in messages:
        started = time.perf_counter()
        result = await agent.parse_message(text)
        elapsed_ms = (time.perf_counter() - started) * 1000
        intent = result.get("intent") or {}
        rows.append((group, len(text.split()), elapsed_ms, intent.get("name"), float(intent.get("confidence") or 0)))
    end_load = os.getloadavg()

    print(f"\n{'messages':12} {'n':>4} {'words':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for group in (*GROUPS, "all"):
        mine = [r for r in rows if group == "all" or r[0] == group]
        if not mine:
            continue
        times = [r[2] for r in mine]
        words = sum(r[1] for r in mine) / len(mine)
        print(f"{group:12} {len(mine):4} {words:6.0f} {fmt(percentile(times, 50), 1):>7} "
              f"{fmt(percentile(times, 95), 1):>7} {fmt(percentile(times, 99), 1):>7} {fmt(max(times), 1):>7}")
    rss, peak = rss_mb()
    print(f"\nLoad average at the end: {end_load[0]:.2f} {end_load[1]:.2f} {end_load[2]:.2f}; "
          f"resident memory {rss:.0f} MB (peak {peak:.0f} MB)")

    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "parse_latency.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "words", "parse_ms", "intent", "confidence", "model_sha256", "load_s",
                         "loadavg_at_start"])
        for group, words, ms, intent, confidence in rows:
            writer.writerow([group, words, f"{ms:.2f}", intent, f"{confidence:.3f}", sha, f"{load_s:.1f}",
                             " ".join(f"{x:.2f}" for x in load)])
    png = plot(args.out / "parse_latency.png", rows, f"{time.strftime('%Y-%m-%d %H:%M')}, load {load[0]:.1f}; "
               f"Agent.load {load_s:.1f} s")
    print(f"Wrote {args.out / 'parse_latency.csv'} and {png}")
    return 0


def plot(path: Path, rows: list[tuple], title: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = [g for g in GROUPS if any(r[0] == g for r in rows)]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.boxplot([[r[2] for r in rows if r[0] == g] for g in groups], labels=groups, whis=(5, 95), showfliers=True)
    ax.set_ylabel("parse time per message (ms)")
    ax.set_title(title, fontsize=9)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "local-offer.tar.gz")
    parser.add_argument("--count", type=int, default=300, help="messages to time (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="messages parsed first and not timed (default 30)")
    parser.add_argument("--texts", nargs="+", help="parse these and print intent and entities instead")
    parser.add_argument("--out", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make model` first.")
        return 2
    os.chdir(ROOT)  # the model refers to models/spacy_local_offer and components/ by relative path
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
