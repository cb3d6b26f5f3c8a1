"""Compare NLU pipelines on held-back training messages: a quicker check than 5-fold cross-validation.

Why: `make crossval` (5 folds x 3 pipelines) takes over an hour on 2 cores, too long to try each small change
to the featurizers or DIET. This trains each configuration on the same stratified 80/20 splits of `data/nlu`
(the splits `make bench-fallback` uses, `bench/lib/nlu_split.py`, one per seed), parses the held-back 20% through the whole
pipeline (fallback and safety net included, as a family would meet it) and prints accuracy and macro F1 per
configuration and seed. No held-out test set is read, so a configuration chosen here is not tuned to one.

    .venv/bin/python bench/pipeline_split.py config.yml bench/configs/x.yml --seeds 7 11
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lib.nlu_split import train_and_parse  # noqa: E402

from bot.insight.evaluation import Example, score  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def run_one(config: Path, seed: int, share: float) -> dict:
    """Train `config` on one split and score the held-back messages."""
    run = train_and_parse(config, share, seed)
    report = score([Example(text, label) for text, label in run.held], [row["intent"] for row in run.rows])
    return {"config": str(config), "seed": seed, "held_back": len(run.held), "train_s": round(run.train_seconds),
            "accuracy": round(report.accuracy, 4), "macro_f1": round(report.macro_f1, 4),
            "weakest": ", ".join(f"{name} {r['f1']:.2f}" for name, r in
                                 sorted(report.per_intent.items(), key=lambda item: item[1]["f1"])[:5])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("configs", nargs="+", type=Path)
    parser.add_argument("--seeds", nargs="+", type=int, default=[7, 11])
    parser.add_argument("--share", type=float, default=0.2)
    args = parser.parse_args()
    results = []
    for config in args.configs:
        for seed in args.seeds:
            row = run_one(config, seed, args.share)
            results.append(row)
            print(f"{row['config']:40} seed {seed:3}  acc {row['accuracy']:.3f}  macro F1 {row['macro_f1']:.3f}"
                  f"  train {row['train_s']} s  weakest: {row['weakest']}", flush=True)
    print("\nMean over seeds:")
    for config in args.configs:
        rows = [r for r in results if r["config"] == str(config)]
        print(f"  {str(config):40} acc {statistics.mean(r['accuracy'] for r in rows):.3f}"
              f"  macro F1 {statistics.mean(r['macro_f1'] for r in rows):.3f}"
              f"  train {statistics.mean(r['train_s'] for r in rows):.0f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"pipeline_split-{time.strftime('%Y%m%d-%H%M%S')}.csv"
    with out.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
