"""Find the service records in an ORUK document, and where its next page is.

Why pure: feeds come in three shapes (the ORUK 3.0 page `{"contents": [...], "page_number": ...}`, the
older Spring-style `{"content": [...], "number": ..., "last": ...}`, and a plain list), and paging is where
imports go wrong (a page skipped, or fetched forever). Keeping the rules here lets tests pin them down
without a server.
"""
from __future__ import annotations

from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit


class FeedError(Exception):
    """The document is not an ORUK feed at all (as opposed to a bad record inside one)."""


def records_of(document: Any) -> list[Any]:
    """The service records of one page, whatever the envelope."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("contents", "content", "items", "services"):
            if isinstance(document.get(key), list):
                return cast("list[Any]", document[key])
        if "id" in document and "name" in document:
            return [document]  # a single service, as /services/{id} returns it
    raise FeedError("this is not an Open Referral UK feed: expected a list of services, or an object with "
                    "'contents' (ORUK 3.0) or 'content' (ORUK 2)")


def next_page_url(document: Any, url: str) -> str | None:
    """The URL of the page after `document` (fetched from `url`), or None when it was the last."""
    if not isinstance(document, dict) or not records_of(document):
        return None
    link = document.get("next")
    if isinstance(document.get("links"), dict):
        link = link or document["links"].get("next")
    if isinstance(link, dict):
        link = link.get("href")
    if isinstance(link, str) and link.strip():
        return urljoin(url, link.strip())
    for key in ("last_page", "last"):
        if isinstance(document.get(key), bool):
            if document[key]:
                return None
            break
    page = _number(document, "page_number", "number", "page")
    total = _number(document, "total_pages", "totalPages")
    if page is None or total is None:
        return None
    # ORUK 3.0 counts pages from 1, Spring-style feeds from 0; both put the same count in the `page` parameter.
    zero_based = "number" in document and "page_number" not in document
    if (page + 1 if zero_based else page) >= total:
        return None
    return _with_page(url, page + 1)


def _number(document: dict[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = document.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.append(("page", str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))
