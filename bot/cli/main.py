"""`python -m bot ...`: the command line for set-up, helpline look-ups and officers' checks."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Callable

from bot.config import get_settings


def _cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    upgrade(args.database_url)
    print("Database is up to date.")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from bot.content.files import ContentError
    from bot.content.loader import load_content

    try:
        counts = load_content(Path(args.directory), args.database_url)
    except ContentError as error:
        print(f"Nothing was loaded: {len(error.problems)} problem(s) in {args.directory}", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("Loaded " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    return 0


def _cmd_check_content(args: argparse.Namespace) -> int:
    from bot.content.checks import run_checks

    problems = run_checks(Path(args.directory))
    if problems:
        print(f"{len(problems)} content problem(s) in {args.directory}:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("Content checks passed: dates, sources, readability, initials, pinned statutory figures and phone numbers.")
    return 0


def _cmd_lookup(args: argparse.Namespace) -> int:
    from bot.db.session import session_scope
    from bot.directory.search import search_text
    from bot.table import render_table

    started = time.perf_counter()
    with session_scope(args.database_url) as session:
        result = search_text(session, " ".join(args.text), limit=args.limit)
    elapsed = (time.perf_counter() - started) * 1000
    if not result.found:
        print(f"No services matched '{' '.join(args.text)}'. Try fewer words, or a wider area.")
        return 0
    rows = [
        [c.name + (" (example)" if c.is_example and "example" not in c.name.lower() else ""), c.description,
         c.who_for, c.area, c.cost, c.contact + (f" | {c.referral}" if c.referral else "")]
        for c in result.cards
    ]
    print(render_table(["Service", "What it offers", "Who for", "Area", "Cost", "Contact / referral"], rows,
                       [24, 38, 18, 14, 12, 34]))
    print(f"{len(result.cards)} of {result.total} matches shown, in {elapsed:.0f} ms.")
    return 0


def _cmd_guidance(args: argparse.Namespace) -> int:
    from bot.db.session import session_scope
    from bot.guidance.articles import get_guidance, list_topics, render_article

    with session_scope(args.database_url) as session:
        if not args.topic:
            print("Topics: " + ", ".join(list_topics(session)))
            return 0
        guidance = get_guidance(session, args.topic)
        if guidance is None:
            print(f"There is no article for '{args.topic}'. Topics: {', '.join(list_topics(session))}",
                  file=sys.stderr)
            return 1
    print(render_article(guidance))
    return 0


def _cmd_web(args: argparse.Namespace) -> int:
    from waitress import serve

    from bot.web import create_app

    settings = get_settings()
    serve(create_app(), host=args.host or settings.web_host, port=args.port or settings.web_port, threads=8)
    return 0


def _cmd_readability(args: argparse.Namespace) -> int:
    from bot.content.files import ContentError, read_content
    from bot.content.readability import MINIMUM_READING_EASE, score_article
    from bot.table import render_table

    try:
        content = read_content(Path(args.directory))
    except ContentError as error:
        print("The content has problems: " + "; ".join(error.problems), file=sys.stderr)
        return 1
    scores = [score_article(article) for article in content.articles]
    rows = [[s.topic, f"{s.reading_ease:.1f}", f"{s.grade:.1f}", "yes" if s.plain_enough else "NO: rewrite"]
            for s in sorted(scores, key=lambda s: s.reading_ease)]
    print(render_table(["Article", "Reading ease", "Grade", f"Plain (>= {MINIMUM_READING_EASE:.0f})"], rows,
                       [24, 12, 6, 16]))
    return 0 if all(s.plain_enough for s in scores) else 1


def _cmd_eval(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime

    from bot.insight.evaluation import (
        Example,
        format_report,
        parse_with_model,
        read_examples,
        score,
        split_seen,
        training_texts,
    )

    path, model = Path(args.file), Path(args.model)
    if not model.exists():
        print(f"There is no trained model at {model}. Run 'make model' first.", file=sys.stderr)
        return 1
    try:
        examples = read_examples(path, args.label)
    except (OSError, ValueError) as error:
        print(f"Could not read {path}: {error}", file=sys.stderr)
        return 1
    copies: list[Example] = []
    if args.training and Path(args.training).is_dir():
        examples, copies = split_seen(examples, training_texts(Path(args.training)))
    if not examples:
        print(f"Every message in {path} is word for word a training example: nothing new to score.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    parsed = parse_with_model([e.text for e in examples], model)
    elapsed = time.perf_counter() - started
    if args.label and args.label.startswith("not:"):
        return _report_false_flags(path, args.label[4:], parsed, elapsed)
    report = score(examples, [p["intent"] for p in parsed], parsed)
    text = format_report(report, f"NLU evaluation: {path.name}")
    if copies:
        text += (f"\n{len(copies)} message(s) left out because they are word for word training examples "
                 f"(e.g. {copies[0].text!r}).\n")
    print(text)
    measures = None
    if args.measures:
        from bot.insight.evaluation import format_measures, measure_groups

        measures = measure_groups(examples, parsed)
        text += "\n## Real-text measures (top-3 leaves out nlu_fallback)\n\n" + format_measures(measures)
        print(text[text.index("## Real-text"):])
    print(f"Parsed {len(examples)} messages in {elapsed:.1f} s (model loading included).")
    if args.report:
        out = Path(args.report)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"eval-{path.stem}"
        (out / f"{stem}.md").write_text(text + f"\nWritten {datetime.now():%Y-%m-%d %H:%M}.\n", encoding="utf-8")
        (out / f"{stem}.json").write_text(
            json.dumps(
                {
                    "file": str(path),
                    "accuracy": report.accuracy,
                    "macro_f1": report.macro_f1,
                    "total": report.total,
                    "left_out_as_training_copies": len(copies),
                    "per_intent": report.per_intent,
                    "confusions": report.confusions,
                    "errors": report.errors,
                    **({"measures": {k: vars(m) for k, m in measures.items()}} if measures else {}),
                },
                indent=2,
            ),
            encoding="utf-8",
        )
        print(f"Report written to {out / stem}.md and .json")
    return 0


def _cmd_import_oruk(args: argparse.Namespace) -> int:
    from bot.oruk.cli import run_import

    return run_import(args)


def _cmd_user(args: argparse.Namespace) -> int:
    from bot.cli.staff import run_user

    return run_user(args)


def _cmd_purge(args: argparse.Namespace) -> int:
    from bot.privacy.purge import AgeError, format_report, parse_age, purge

    settings = get_settings()
    try:
        older_than = parse_age(f"{settings.retention_days}d" if args.older_than is None else args.older_than)
    except AgeError as error:
        print(error, file=sys.stderr)
        return 2
    report = purge(args.database_url or settings.database_url, args.tracker_store_url or settings.tracker_store_url,
                   older_than, dry_run=args.dry_run, spool_dir=Path(args.spool_dir) if args.spool_dir else None)
    print(format_report(report, older_than))
    return 1 if report.failed else 0


def _report_false_flags(path: Path, intent: str, parsed: list[dict[str, Any]], elapsed: float) -> int:
    """For lists that must NOT reach `intent` (e.g. ordinary worries and safeguarding): how many did."""
    flagged = [p["text"] for p in parsed if p["intent"] == intent]
    print(f"# False flags: {path.name}\n\n{len(flagged)} of {len(parsed)} messages were taken as {intent} "
          f"({len(flagged) / len(parsed):.1%}).")
    for text in flagged:
        print(f"- {text}")
    print(f"Parsed {len(parsed)} messages in {elapsed:.1f} s (model loading included).")
    return 0


def _cmd_build_spacy(args: argparse.Namespace) -> int:
    from bot.nlp.build import build_pipeline

    path = build_pipeline(Path(args.content), Path(args.output))
    print(f"spaCy pipeline saved to {path}")
    return 0


def _cmd_eval_answers(args: argparse.Namespace) -> int:
    from bot.answers.evaluation import evaluate_file, format_report
    from bot.db.session import session_scope

    with session_scope(args.database_url) as session:
        evaluation = evaluate_file(session, Path(args.file))
    print(format_report(evaluation, show_failures=not args.quiet))
    return 0


def _cmd_eval_safety(args: argparse.Namespace) -> int:
    from bot.insight.evaluation import parse_with_model
    from bot.insight.safety_routes import default_lists, format_table, read_list, routes_for

    paths = [Path(p) for p in args.files] or default_lists()
    texts = {path: read_list(path) for path in paths}
    started = time.perf_counter()
    parsed = parse_with_model([t for path in paths for t in texts[path]], Path(args.model))
    rows, start = [], 0
    for path in paths:
        rows.append(routes_for(path, texts[path], parsed[start:start + len(texts[path])]))
        start += len(texts[path])
    print("# Safeguarding routes, list by list\n")
    print(format_table(rows))
    print(f"\nParsed {start} messages in {time.perf_counter() - started:.1f} s (model loading included).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="The Local Offer assistant's tools.")
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL, then var/local_offer.db")
    sub = parser.add_subparsers(dest="command", required=True)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        commands[name] = handler
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(handler=handler)
        return command

    add("migrate", _cmd_migrate, "create or upgrade the database tables")
    load = add("load", _cmd_load, "validate and load the Local Offer content folder")
    load.add_argument("directory", nargs="?", default=str(get_settings().content_dir))
    check_content = add("check-content", _cmd_check_content, "run every content check (dates, sources, readability, "
                        "initials, pinned statutory figures, phone numbers)")
    check_content.add_argument("directory", nargs="?", default=str(get_settings().content_dir))
    lookup = add("lookup", _cmd_lookup, "find services, e.g. 'speech therapy colchester age 7'")
    lookup.add_argument("text", nargs="+")
    lookup.add_argument("--limit", type=int, default=5)
    guidance = add("guidance", _cmd_guidance, "read a guidance article, e.g. annual_review")
    guidance.add_argument("topic", nargs="?")
    web = add("web", _cmd_web, "serve the web pages")
    web.add_argument("--host")
    web.add_argument("--port", type=int)
    readability = add("readability", _cmd_readability, "reading ease and grade of every guidance article")
    readability.add_argument("directory", nargs="?", default=str(get_settings().content_dir))
    evaluate = add("eval", _cmd_eval, "score the model on a file of 'question<TAB>label' lines (or NLU YAML)")
    evaluate.add_argument("file")
    evaluate.add_argument("--label", help="every line of a plain file has this label; 'not:INTENT' counts the "
                          "lines wrongly taken as INTENT instead")
    evaluate.add_argument("--model", default="models/local-offer.tar.gz")
    evaluate.add_argument("--report", help="folder to write the report to (e.g. bench/results)")
    evaluate.add_argument("--training", default="data/nlu",
                          help="training data folder: test messages copied word for word from it are left out")
    evaluate.add_argument("--measures", action="store_true", help="also print top-1, top-3, fallback rate, "
                          "safeguarding recall and false emergencies, overall, by message length and per intent")
    oruk = add("import-oruk", _cmd_import_oruk, "check and import an Open Referral UK feed (file or URL)")
    oruk.add_argument("source", help="a JSON file or an http(s) URL; pages are followed")
    oruk.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    oruk.add_argument("--strict", action="store_true", help="import nothing if any record has a problem")
    oruk.add_argument("--batch-size", type=int, default=500)
    oruk.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for each page")
    oruk.add_argument("--max-mb", type=int, default=50, help="largest file or page accepted")
    from bot.cli.staff import add_user_arguments

    add_user_arguments(add("user", _cmd_user, "staff console users: add, list, unlock, disable"))
    purge = add("purge", _cmd_purge, "delete conversations and saved questions older than the retention period")
    purge.add_argument("--older-than", help="e.g. 90d or 12w (default: RETENTION_DAYS, 90 days)")
    purge.add_argument("--tracker-store-url", help="defaults to TRACKER_STORE_URL, then var/tracker.db")
    purge.add_argument("--spool-dir", help="the unanswered-question spool (default: SPOOL_DIR, then var/spool)")
    purge.add_argument("--dry-run", action="store_true", help="count what would be deleted, delete nothing")
    eval_answers = add("eval-answers", _cmd_eval_answers, "score the answer bank's retrieval on the blind probes "
                       "(first reply carries the fact), with no intent and with a perfect one")
    eval_answers.add_argument("file", nargs="?", default="tests/answers/probes.yml")
    eval_answers.add_argument("--quiet", action="store_true", help="figures only, no list of failures")
    eval_safety = add("eval-safety", _cmd_eval_safety, "the safeguarding route every message of the risk and "
                      "ordinary lists gets (tests/safety, tests/nlu), the held-out lists included")
    eval_safety.add_argument("files", nargs="*", help="lists to read (default: every list the project keeps)")
    eval_safety.add_argument("--model", default="models/local-offer.tar.gz")
    spacy_cmd = add("build-spacy", _cmd_build_spacy, "build the project's spaCy pipeline from the content")
    spacy_cmd.add_argument("--content", default=str(get_settings().content_dir))
    spacy_cmd.add_argument("--output", default="models/spacy_local_offer")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler  # set by each subcommand (set_defaults)
    return handler(args)
