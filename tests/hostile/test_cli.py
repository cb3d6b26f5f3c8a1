"""Hostile text through the command line (`python -m bot lookup`, `guidance`, `eval`), as real subprocesses.

Asserts: exit status 0 or 1, something printed, and never a Python traceback. An argv cannot carry a NUL
byte, a lone surrogate or more than 128 KiB, so those cases go only through `eval`'s file (or are left out
where the operating system itself refuses them). A subset of the cases is used for lookup and guidance:
each is a process start, a second or two on this machine.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ROOT
from tests.hostile.cases import TextCase, text_cases

pytestmark = pytest.mark.timeout(900)

MODEL = ROOT / "models" / "local-offer.tar.gz"
MAX_ARG_BYTES = 120 * 1024


def _argv_can_carry(text: str) -> bool:
    try:
        encoded = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text and len(encoded) < MAX_ARG_BYTES


ARGV_CASES = [c for c in text_cases() if _argv_can_carry(c.text)]
LOOKUP_CASES = ARGV_CASES[::8] + [c for c in ARGV_CASES if c.id in ("huge.a_100kb", "sql.drop_table", "html.script")]
GUIDANCE_CASES = ARGV_CASES[::16] + [c for c in ARGV_CASES if c.id in ("traversal.dotdot", "traversal.data_dir")]


def _run(args: list[str], database_url: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONDONTWRITEBYTECODE="1", RASA_TELEMETRY_ENABLED="false",
               TF_CPP_MIN_LOG_LEVEL="2", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, errors="replace", timeout=timeout)


def _check(result: subprocess.CompletedProcess[str], label: str) -> None:
    assert "Traceback" not in result.stderr, (label, result.stderr[-2000:])
    assert result.returncode in (0, 1), (label, result.returncode, result.stderr[-1000:])
    assert (result.stdout + result.stderr).strip(), label


@pytest.mark.parametrize("case", LOOKUP_CASES, ids=str)
def test_lookup_with_hostile_text(loaded_db: str, case: TextCase) -> None:
    result = _run(["lookup", "--", case.text], loaded_db)
    _check(result, case.id)
    assert result.returncode == 0
    assert "matches shown" in result.stdout or "No services matched" in result.stdout


@pytest.mark.parametrize("case", GUIDANCE_CASES, ids=str)
def test_guidance_with_hostile_topic(loaded_db: str, case: TextCase) -> None:
    result = _run(["guidance", "--", case.text], loaded_db)
    _check(result, case.id)
    if result.returncode == 1:
        assert "There is no article for" in result.stderr and "Topics:" in result.stderr


@pytest.mark.model
def test_eval_reads_a_file_of_hostile_lines(loaded_db: str, tmp_path: Path) -> None:
    """Every case the assistant could ever see (up to the channel's 2,000 characters), raw: tabs, newlines,
    NULs and control characters included. `--label` makes each line one message, so the model parses them all."""
    if not os.environ.get("HOSTILE_TESTS"):
        pytest.skip("loads the Rasa model (a minute or more): run with `make test-hostile`")
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}")
    lines = [c.text.encode("utf-8", "replace").decode("utf-8") for c in text_cases() if len(c.text) <= 2000]
    path = tmp_path / "hostile.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(["eval", str(path), "--label", "out_of_scope", "--training", "", "--model", str(MODEL)],
                  loaded_db, timeout=900)
    _check(result, "eval")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Parsed" in result.stdout


def test_eval_refuses_a_file_that_is_not_utf8_kindly(loaded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.tsv"
    path.write_bytes(b"what is an EHC plan\tehcp\n\xff\xfe caf\xe9\tgreet\n")
    result = _run(["eval", str(path), "--model", str(MODEL)], loaded_db)
    _check(result, "eval-bad-utf8")
    assert result.returncode == 1
    assert "Could not read" in result.stderr or "no trained model" in result.stderr.lower()


def test_eval_names_the_line_of_a_malformed_tsv(loaded_db: str, tmp_path: Path) -> None:
    path = tmp_path / "malformed.tsv"
    path.write_text("what is an EHC plan\tehcp\n<script>alert(1)</script> no tab here\n", encoding="utf-8")
    result = _run(["eval", str(path), "--model", str(MODEL)], loaded_db)
    _check(result, "eval-malformed")
    assert result.returncode == 1
    assert "line 2" in result.stderr or "no trained model" in result.stderr.lower()
