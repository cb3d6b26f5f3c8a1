"""The pure parts of the load benchmark: percentiles, summaries, reply checks and the report files.

No servers and no timing here: these check that the figures the benchmark prints are computed right.
"""
from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from lib.drive import classify  # noqa: E402
from lib.scripts import EXAMPLE_SCRIPTS, OUR_SCRIPTS, as_expected, response_prefixes  # noqa: E402
from lib.stats import Sample, percentile, ratio, summarise  # noqa: E402

ROOT = BENCH.parent


@pytest.mark.parametrize("q, expected", [(0, 1.0), (50, 2.5), (100, 4.0), (25, 1.75), (95, 3.85)])
def test_percentile_interpolates_like_numpy(q: float, expected: float) -> None:
    assert percentile([4, 1, 3, 2], q) == pytest.approx(expected)


def test_percentile_of_nothing_is_no_figure_and_bad_q_is_refused() -> None:
    assert math.isnan(percentile([], 95))
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_counts_errors_apart_from_latency() -> None:
    samples = [Sample("ours", 10, "utter", 0.1 * i, float(i)) for i in range(1, 101)]
    samples += [Sample("ours", 10, "action", 1.0, 15000.0, "timeout"), Sample("ours", 10, "form", 2.0, 5.0, "empty"),
                Sample("ours", 10, "form", 2.0, 5.0, "", off_script=True),
                Sample("example", 10, "utter", 0.0, 1.0), Sample("ours", 20, "utter", 0.0, 1.0)]
    summary = summarise("ours", 10, samples, elapsed_s=10.0, rss_mb={"rasa": 900.0})
    assert summary.messages == 103
    assert summary.ok == 101
    assert summary.errors == {"empty": 1, "timeout": 1}
    assert summary.error_count == 2
    assert summary.off_script == 1
    assert summary.per_second == pytest.approx(10.1)
    assert summary.max == 100.0  # the 15 s timeout is an error, not a latency
    assert summary.p50 == pytest.approx(percentile([float(i) for i in range(1, 101)] + [5.0], 50))
    assert summary.rss_mb == {"rasa": 900.0}


def test_a_level_with_only_errors_has_no_latency_figures() -> None:
    summary = summarise("ours", 100, [Sample("ours", 100, "utter", 0.0, 1.0, "connection")], elapsed_s=5.0)
    assert summary.ok == 0 and summary.per_second == 0
    assert math.isnan(summary.p95)


def test_ratio_needs_both_figures() -> None:
    assert ratio(150.0, 100.0) == 1.5
    assert math.isnan(ratio(150.0, math.nan))
    assert math.isnan(ratio(150.0, 0.0))


def test_replies_are_classified_as_the_family_would_see_them() -> None:
    marker = "Sorry, something went wrong on our side"
    assert classify(200, [{"text": "Hello"}], marker) == ""
    assert classify(500, "oops", marker) == "http_500"
    assert classify(200, [], marker) == "empty"
    assert classify(200, {"error": 1}, marker) == "empty"
    assert classify(200, [{"text": f"{marker}. Please try again"}], marker) == "action_failed"


def test_every_expected_response_exists_in_its_domain() -> None:
    ours = response_prefixes(yaml.safe_load((ROOT / "domain.yml").read_text()))
    for script in OUR_SCRIPTS:
        for turn in script:
            assert turn.expect is None or ours.get(turn.expect), turn
    assert {turn.kind for script in OUR_SCRIPTS for turn in script} == {"utter", "action", "form"}
    assert all(turn.expect for script in EXAMPLE_SCRIPTS for turn in script)


def test_a_reply_is_checked_against_the_response_opening() -> None:
    prefixes = response_prefixes({"responses": {"utter_deadlines": [{"text": "Based on the date you gave ({start})"}],
                                                "utter_x": [{"text": "{only_a_slot}"}]}})
    assert prefixes["utter_deadlines"] == "Based on the date you gave ("
    assert as_expected([{"text": "Based on the date you gave (3 March 2026), ..."}], "utter_deadlines", prefixes)
    assert not as_expected([{"text": "Sorry, I didn't quite understand."}], "utter_deadlines", prefixes)
    assert as_expected([], "utter_x", prefixes)  # nothing fixed to recognise: not counted against the bot
    assert as_expected([], None, prefixes)


def test_report_files_are_written(tmp_path: Path) -> None:
    import load_bench

    args = load_bench.parse_args(["--out", str(tmp_path), "--levels", "10,20", "--duration", "5", "--think", "0"])
    args.model_sha = "abc"
    assert args.levels == [10, 20] and args.think == (0.0, 0.0)
    samples = [Sample(bot, level, "utter", 0.0, float(ms)) for bot in ("ours", "example")
               for level in (10, 20) for ms in range(1, 50)]
    summaries = [summarise(bot, level, samples, 5.0) for bot in ("ours", "example") for level in (10, 20)]
    lines = load_bench.print_table(summaries[:2], summaries[2:])
    assert any("ratio to the example bot at 20: 1.00" in line and "met" in line for line in lines)
    load_bench.write_csv(args, summaries, samples, "now", (1.0, 1.0, 1.0))
    with (tmp_path / "load_summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["bot"], r["conversations"]) for r in rows] == [("ours", "10"), ("ours", "20"), ("example", "10"),
                                                              ("example", "20")]
    assert float(rows[0]["p95_ms"]) == pytest.approx(percentile([float(i) for i in range(1, 50)], 95), abs=0.05)
    assert load_bench.plot(args, summaries, "test").stat().st_size > 0


def test_workers_above_one_need_the_redis_lock_store() -> None:
    import load_bench

    with pytest.raises(SystemExit):
        load_bench.parse_args(["--rasa-workers", "2"])
    assert load_bench.parse_args(["--rasa-workers", "2", "--lock-store", "redis"]).rasa_workers == 2


def test_parse_benchmark_messages_are_varied_and_repeatable() -> None:
    import parse_latency

    first = parse_latency.build_messages(300)
    assert first == parse_latency.build_messages(300)
    groups = {group for group, _ in first}
    # 300 of the usual mix, plus one in ten of 1,000 characters (issue #15's length target).
    assert len(first) == 330 and {"short", "misspelt", "paragraph", "1000 chars"} <= groups
    assert all(len(text) == 1000 for group, text in first if group == "1000 chars")
    paragraphs = [text for group, text in first if group == "paragraph"]
    assert min(len(text.split()) for text in paragraphs) >= 40


def test_misspelling_changes_long_words_only() -> None:
    import random

    import parse_latency

    text = "my daughter needs speech therapy at school in Colchester"
    changed = parse_latency.misspell(text, random.Random(3))
    assert changed != text
    assert len(changed.split()) == len(text.split())
    assert changed.split()[0] == "my" and changed.split()[-2] == "in"
