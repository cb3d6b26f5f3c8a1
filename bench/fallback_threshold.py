"""Choose the FallbackClassifier threshold by measurement, on the training data only.

Method: a stratified 80/20 split of `data/nlu` (seed fixed; the regex, lookup and synonym blocks stay with
the training part), `rasa train nlu` on the 80% with the pipeline of `config.yml`, then every held-back
message parsed once. The classifier's own ranking is kept, so each threshold and ambiguity threshold is
applied afterwards to the same parses, as the FallbackClassifier would: below the threshold, or with the
top two closer than the ambiguity threshold, the assistant asks the family to say it another way.
Messages the safety net sends to safeguarding stay there whatever the threshold (it runs after the fallback
and overrides it).

What is being traded: a wrong answer (guidance on the wrong process) against a "could you say that another
way?" (and, after two, an offer of a person). A wrong answer costs a family more, so the cost counted here is
wrong + 0.5 x fallback per message; the table shows both parts, so another weighting can be read off it.
No held-out test set is used.

    .venv/bin/python bench/fallback_threshold.py            # about 3 minutes (one NLU training)
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lib.nlu_split import train_and_parse  # noqa: E402

from bot.insight.evaluation import FALLBACK  # noqa: E402

RESULTS = ROOT / "bench" / "results"
THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]
AMBIGUITIES = [0.0, 0.04, 0.08, 0.12]
FALLBACK_COST = 0.5


def decide(row: dict, threshold: float, ambiguity: float) -> str:
    if row["intent"] == "safeguarding_urgent":
        return "safeguarding_urgent"
    ranking = [r for r in row["ranking"] if r["name"] != FALLBACK]
    if not ranking:
        return FALLBACK
    top = ranking[0]["confidence"]
    second = ranking[1]["confidence"] if len(ranking) > 1 else 0.0
    if top < threshold or top - second < ambiguity:
        return FALLBACK
    return ranking[0]["name"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--share", type=float, default=0.2, help="share of each intent held back")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"Training config.yml on {1 - args.share:.0%} of data/nlu (seed {args.seed})...", flush=True)
    run = train_and_parse(ROOT / "config.yml", args.share, args.seed)
    held, rows = run.held, run.rows
    print(f"Trained on {run.trained_examples} examples in {run.train_seconds:.0f} s; "
          f"{len(held)} held back and parsed.", flush=True)

    table = []
    oos = [i for i, (_, label) in enumerate(held) if label == "out_of_scope"]
    for ambiguity in AMBIGUITIES:
        for threshold in THRESHOLDS:
            chosen = [decide(row, threshold, ambiguity) for row in rows]
            right = sum(c == label for c, (_, label) in zip(chosen, held))
            fallback = sum(c == FALLBACK for c in chosen)
            wrong = len(held) - right - fallback
            oos_recall = sum(chosen[i] == "out_of_scope" for i in oos) / len(oos) if oos else 0.0
            table.append({"threshold": threshold, "ambiguity": ambiguity, "right": right / len(held),
                          "wrong": wrong / len(held), "fallback": fallback / len(held), "oos_recall": oos_recall,
                          "cost": (wrong + FALLBACK_COST * fallback) / len(held)})
    best = min(table, key=lambda r: (round(r["cost"], 4), -r["threshold"]))
    print(f"\n{len(held)} held-back training messages; cost = wrong + {FALLBACK_COST} x fallback")
    print(f"{'threshold':>9} {'ambiguity':>9} {'right':>6} {'wrong':>6} {'fallbk':>6} {'oos rec':>7} {'cost':>6}")
    for r in table:
        mark = "  <- lowest cost" if r is best else ""
        print(f"{r['threshold']:9.2f} {r['ambiguity']:9.2f} {r['right']:6.3f} {r['wrong']:6.3f} {r['fallback']:6.3f} "
              f"{r['oos_recall']:7.3f} {r['cost']:6.3f}{mark}")
    threshold, ambiguity = _configured_fallback()
    _print_recall_by_intent(rows, held, threshold, ambiguity)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "fallback_threshold.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    _plot(table)
    return 0


def _configured_fallback() -> tuple[float, float]:
    """The FallbackClassifier's threshold and ambiguity threshold as config.yml sets them now."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
    return float(fallback.get("threshold", 0.3)), float(fallback.get("ambiguity_threshold", 0.1))


def _print_recall_by_intent(rows: list[dict], held: list[tuple[str, str]], threshold: float,
                            ambiguity: float) -> None:
    """Recall per intent on the held-back training messages: where more (or clearer) training data is needed,
    found without looking at any test set."""
    totals: dict[str, list[int]] = {}
    for row, (_, label) in zip(rows, held):
        hit = decide(row, threshold, ambiguity) == label
        totals.setdefault(label, [0, 0])[0] += hit
        totals[label][1] += 1
    print(f"\nRecall by intent at config.yml's {threshold} / {ambiguity} (lowest first):")
    for intent, (hits, count) in sorted(totals.items(), key=lambda item: item[1][0] / item[1][1]):
        print(f"  {intent:24} {hits / count:5.2f}  ({hits}/{count})")


def _plot(table: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for ambiguity in AMBIGUITIES:
        rows = [r for r in table if r["ambiguity"] == ambiguity]
        axes.plot([r["threshold"] for r in rows], [r["cost"] for r in rows], marker="o", label=f"ambiguity {ambiguity}")
    axes.set_xlabel("FallbackClassifier threshold")
    axes.set_ylabel(f"wrong + {FALLBACK_COST} x fallback (share of messages)")
    axes.set_title("Fallback threshold on held-back training messages")
    axes.legend()
    figure.tight_layout()
    figure.savefig(RESULTS / "fallback_threshold.png", dpi=120)
    print(f"Wrote {RESULTS / 'fallback_threshold.csv'} and {RESULTS / 'fallback_threshold.png'}")


if __name__ == "__main__":
    raise SystemExit(main())
