"""Summarise the cross-validation runs in bench/results/crossval/ as a table (printed and written)."""
from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "crossval"


def main() -> None:
    rows = ["| pipeline | test accuracy | test macro F1 | test weighted F1 | time for 5 folds (s) |", "|---|---|---|---|---|"]
    for folder in sorted(p for p in RESULTS.iterdir() if p.is_dir()):
        report_file = folder / "intent_report.json"
        if not report_file.exists():
            continue
        report = json.loads(report_file.read_text())
        seconds = (RESULTS / f"{folder.name}.seconds").read_text().strip() if (RESULTS / f"{folder.name}.seconds").exists() else "?"
        rows.append(f"| {folder.name} | {report['accuracy']:.3f} | {report['macro avg']['f1-score']:.3f} | "
                    f"{report['weighted avg']['f1-score']:.3f} | {seconds} |")
    table = "\n".join(rows)
    print(table)
    (RESULTS.parent / "crossval.md").write_text("# 5-fold cross-validation on data/nlu\n\n" + table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
