"""The helpline worker's command line, run as a real process against a loaded database."""
from __future__ import annotations

import os
import subprocess
import sys

from bot.config import ROOT


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_lookup_prints_a_table(loaded_db: str) -> None:
    done = _run(loaded_db, "lookup", "speech therapy colchester age 7")
    assert done.returncode == 0, done.stderr
    assert "Service" in done.stdout and "Contact" in done.stdout
    assert "matches shown" in done.stdout
    assert "speech" in done.stdout.lower()


def test_lookup_with_no_match_says_so_kindly(loaded_db: str) -> None:
    done = _run(loaded_db, "lookup", "zzzzqqq")
    assert done.returncode == 0
    assert "No services matched" in done.stdout


def test_guidance_prints_the_article_with_its_date(loaded_db: str) -> None:
    done = _run(loaded_db, "guidance", "annual_review")
    assert done.returncode == 0, done.stderr
    assert "Last checked:" in done.stdout
    assert "12 months" in done.stdout


def test_unknown_topic_lists_the_topics(loaded_db: str) -> None:
    done = _run(loaded_db, "guidance", "flying_lessons")
    assert done.returncode == 1
    assert "annual_review" in done.stderr
    assert "Traceback" not in done.stderr


def test_load_reports_a_bad_folder_without_a_traceback(loaded_db: str, content_copy) -> None:
    (content_copy / "areas.yml").write_text("districts: 7\n")
    done = _run(loaded_db, "load", str(content_copy))
    assert done.returncode == 1
    assert "Nothing was loaded" in done.stderr and "areas.yml" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_counts_false_flags_and_leaves_out_training_copies(tmp_path, monkeypatch, capsys) -> None:
    """`--label not:INTENT` reports the lines wrongly taken as INTENT; training copies are not scored."""
    from pathlib import Path

    import bot.insight.evaluation as evaluation
    from bot.cli.main import main

    ordinary = tmp_path / "ordinary.txt"
    ordinary.write_text("this wait is killing me\nwhen is the annual review\nhi\n", encoding="utf-8")
    training = tmp_path / "nlu"
    training.mkdir()
    (training / "chat.yml").write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n', encoding="utf-8")
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"not used: parsing is replaced below")
    seen: list[list[str]] = []

    def fake_parse(texts: list[str], _model: Path) -> list[dict]:
        seen.append(texts)
        return [{"text": t, "intent": "safeguarding_urgent" if "killing" in t else "annual_review"} for t in texts]

    monkeypatch.setattr(evaluation, "parse_with_model", fake_parse)
    code = main(["eval", str(ordinary), "--label", "not:safeguarding_urgent", "--model", str(model),
                 "--training", str(training)])
    out = capsys.readouterr().out
    assert code == 0
    assert seen == [["this wait is killing me", "when is the annual review"]]
    assert "1 of 2 messages were taken as safeguarding_urgent (50.0%)" in out
    assert "- this wait is killing me" in out
