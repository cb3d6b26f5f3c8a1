"""Read an ORUK feed from a file or a URL, following its pages: the network edge of the import.

Why the limits: a feed URL is typed by an officer and served by someone else's system, so a slow or huge
answer must end in a clear message, not a hung command or an exhausted machine.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from bot.oruk.feed import FeedError, next_page_url, records_of

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_PAGES = 10_000
USER_AGENT = "essex-local-offer-import/1.0 (+https://send.essex.gov.uk)"


@dataclass
class Fetched:
    records: list[Any] = field(default_factory=list)
    pages: int = 0


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch_feed(source: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
               on_page: Callable[[int, int], None] | None = None) -> Fetched:
    """All service records from a file path or an http(s) URL; raises FeedError with a plain message."""
    fetched = Fetched()
    if not is_url(source):
        document = _parse(_read_file(Path(source), max_bytes), source)
        fetched.records, fetched.pages = records_of(document), 1
        return fetched
    url: str | None = source
    seen: set[str] = set()
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise FeedError(f"the feed's pages loop back or go on past {MAX_PAGES} pages (at {url})")
        seen.add(url)
        document = _parse(_read_url(url, timeout, max_bytes), url)
        records = records_of(document)
        fetched.records.extend(records)
        fetched.pages += 1
        if on_page:
            on_page(fetched.pages, len(fetched.records))
        url = next_page_url(document, url)
    return fetched


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FeedError(f"{path} is {size // 1_000_000} MB; the limit is {max_bytes // 1_000_000} MB")
        return path.read_bytes()
    except OSError as error:
        raise FeedError(f"could not read {path}: {error.strerror or error}") from error


def _read_url(url: str, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
            body: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FeedError(f"{url} answered {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise FeedError(f"could not reach {url}: {reason}") from error
    if len(body) > max_bytes:
        raise FeedError(f"{url} sent more than {max_bytes // 1_000_000} MB; the limit is {max_bytes // 1_000_000} MB")
    return body


def _parse(body: bytes, where: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"{where} is not valid JSON: {error}") from error
