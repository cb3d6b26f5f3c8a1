"""`python -m bot ...`: the command line for set-up, helpline look-ups and officers' checks."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from bot.config import get_settings


def _cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db.migrate import upgrade

    upgrade(args.database_url)
    print("Database is up to date.")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from bot.content import ContentError
    from bot.loader import load_content

    try:
        counts = load_content(Path(args.directory), args.database_url)
    except ContentError as error:
        print(f"Nothing was loaded: {len(error.problems)} problem(s) in {args.directory}", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("Loaded " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    return 0


def _cmd_lookup(args: argparse.Namespace) -> int:
    from bot.db.session import session_scope
    from bot.directory import search_text
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
    from bot.guidance import get_guidance, list_topics, render_article

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
    from waitress import serve  # type: ignore[import-not-found]

    from bot.web import create_app

    settings = get_settings()
    serve(create_app(), host=args.host or settings.web_host, port=args.port or settings.web_port, threads=8)
    return 0


def _cmd_readability(args: argparse.Namespace) -> int:
    from bot.content import ContentError, read_content
    from bot.readability import MINIMUM_READING_EASE, score_article
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

    from bot.evaluation import format_report, parse_with_model, read_examples, score

    path, model = Path(args.file), Path(args.model)
    if not model.exists():
        print(f"There is no trained model at {model}. Run 'make model' first.", file=sys.stderr)
        return 1
    try:
        examples = read_examples(path, args.label)
    except (OSError, ValueError) as error:
        print(f"Could not read {path}: {error}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    parsed = parse_with_model([e.text for e in examples], model)
    elapsed = time.perf_counter() - started
    report = score(examples, [p["intent"] for p in parsed], parsed)
    text = format_report(report, f"NLU evaluation: {path.name}")
    print(text)
    print(f"Parsed {len(examples)} messages in {elapsed:.1f} s (model loading included).")
    if args.report:
        out = Path(args.report)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"eval-{path.stem}"
        (out / f"{stem}.md").write_text(text + f"\nWritten {datetime.now():%Y-%m-%d %H:%M}.\n", encoding="utf-8")
        (out / f"{stem}.json").write_text(json.dumps({
            "file": str(path), "accuracy": report.accuracy, "macro_f1": report.macro_f1, "total": report.total,
            "per_intent": report.per_intent, "confusions": report.confusions, "errors": report.errors,
        }, indent=2), encoding="utf-8")
        print(f"Report written to {out / stem}.md and .json")
    return 0


def _cmd_build_spacy(args: argparse.Namespace) -> int:
    from bot.nlp.build import build_pipeline

    path = build_pipeline(Path(args.content), Path(args.output))
    print(f"spaCy pipeline saved to {path}")
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
    evaluate.add_argument("--label", help="every line of a plain file has this label")
    evaluate.add_argument("--model", default="models/local-offer.tar.gz")
    evaluate.add_argument("--report", help="folder to write the report to (e.g. bench/results)")
    spacy_cmd = add("build-spacy", _cmd_build_spacy, "build the project's spaCy pipeline from the content")
    spacy_cmd.add_argument("--content", default=str(get_settings().content_dir))
    spacy_cmd.add_argument("--output", default="models/spacy_local_offer")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
