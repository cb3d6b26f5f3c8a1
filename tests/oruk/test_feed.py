"""Finding records and the next page in the three feed shapes."""
from __future__ import annotations

import pytest

from bot.oruk.feed import FeedError, next_page_url, records_of

URL = "https://council.example.org/api/services?per_page=2"


def test_records_from_each_envelope() -> None:
    assert records_of([{"id": 1}]) == [{"id": 1}]
    assert records_of({"contents": [{"id": 2}]}) == [{"id": 2}]
    assert records_of({"content": [{"id": 3}]}) == [{"id": 3}]
    assert records_of({"id": "s", "name": "One service"}) == [{"id": "s", "name": "One service"}]
    with pytest.raises(FeedError, match="not an Open Referral UK feed"):
        records_of({"error": "nope"})


def test_oruk3_pages_count_from_one() -> None:
    page = {"contents": [{}], "page_number": 1, "total_pages": 3, "last_page": False}
    assert next_page_url(page, URL) == "https://council.example.org/api/services?per_page=2&page=2"
    assert next_page_url({**page, "page_number": 3, "last_page": True}, URL) is None
    assert next_page_url({"contents": [{}], "page_number": 3, "total_pages": 3}, URL) is None


def test_spring_pages_count_from_zero() -> None:
    page = {"content": [{}], "number": 0, "totalPages": 2, "last": False}
    assert next_page_url(page, URL + "&page=0").endswith("per_page=2&page=1")
    assert next_page_url({"content": [{}], "number": 1, "totalPages": 2}, URL) is None


def test_next_links_are_followed_relative_to_the_page() -> None:
    assert next_page_url({"contents": [{}], "next": "/api/services?page=9"}, URL) == \
        "https://council.example.org/api/services?page=9"
    assert next_page_url({"contents": [{}], "links": {"next": {"href": "p2"}}}, URL) == \
        "https://council.example.org/api/p2"


def test_an_empty_page_or_a_plain_list_ends_the_feed() -> None:
    assert next_page_url({"contents": [], "page_number": 1, "total_pages": 5}, URL) is None
    assert next_page_url([{"id": 1}], URL) is None
