"""`python -m bot import-oruk`: run an import and tell the officer, in plain words, what happened.

Why apart from bot/cli/main.py: the command line there stays a list of short commands; the wording and exit
rules of the import live here beside the import.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from bot.oruk.feed import FeedError
from bot.oruk.fetch import fetch_feed, is_url
from bot.oruk.importer import ImportReport, NotReady, import_records, make_progress

MAX_LISTED = 200


def run_import(args: argparse.Namespace) -> int:
    """0 when at least one service was imported (or is unchanged); 1 when nothing could be."""
    try:
        fetched = fetch_feed(args.source, timeout=args.timeout, max_bytes=args.max_mb * 1024 * 1024,
                             on_page=_page_counter() if is_url(args.source) else None)
    except FeedError as error:
        print(f"Nothing was imported: {error}", file=sys.stderr)
        return 1
    if not fetched.records:
        print(f"Nothing was imported: {args.source} has no services in it.", file=sys.stderr)
        return 1
    update, close = make_progress(len(fetched.records), "Importing" if not args.dry_run else "Checking")
    try:
        report = import_records(fetched.records, args.database_url, dry_run=args.dry_run, strict=args.strict,
                                batch_size=max(1, args.batch_size), progress=update)
    except NotReady as error:
        print(f"Nothing was imported: {error}.", file=sys.stderr)
        return 1
    finally:
        close()
    _print_report(report, fetched.pages)
    if report.aborted or report.imported == 0:
        return 1
    return 0


def _page_counter() -> Callable[[int, int], None]:
    interactive = sys.stderr.isatty()

    def on_page(pages: int, records: int) -> None:
        if interactive:
            print(f"\rFetched {pages} page(s), {records} services", end="", file=sys.stderr, flush=True)

    return on_page


def _print_report(report: ImportReport, pages: int) -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for label, items in (("Problems (these services were skipped)", report.problems),
                         ("Notes (these services were imported)", report.notes)):
        if not items:
            continue
        print(f"{label}: {len(items)}", file=sys.stderr)
        for item in items[:MAX_LISTED]:
            print(f"  - {item}", file=sys.stderr)
        if len(items) > MAX_LISTED:
            print(f"  ... and {len(items) - MAX_LISTED} more", file=sys.stderr)
    if report.aborted:
        print(f"Nothing was imported (--strict): {report.skipped} of {report.received} services have problems.",
              file=sys.stderr)
        return
    verb = "Would import" if report.dry_run else "Imported"
    print(f"{verb} {report.imported} of {report.received} services from {pages} page(s): {report.created} new, "
          f"{report.updated} changed, {report.unchanged} unchanged; {report.skipped} skipped.")
