"""The search facet table is derived data: whatever the loader, the importer and the migration write must be
exactly what a rebuild from the stored services gives, or searches would show stale or missing services."""
from __future__ import annotations

import copy

from sqlalchemy import text

from bench.generate_directory import generate_services
from bot.config import ROOT
from bot.content.loader import load_content
from bot.db import migrate
from bot.db.queries.facets import refresh_search_facets
from bot.db.session import session_scope
from bot.oruk.importer import import_records

CONTENT = ROOT / "data" / "local_offer"


def _facets(url: str) -> list[tuple]:
    with session_scope(url) as session:
        return [tuple(row) for row in session.execute(text(
            "SELECT service_id, term_id, place, distance, is_example, name, minimum_age, maximum_age "
            "FROM search_facet ORDER BY service_id, term_id, place"))]


def _rebuilt(url: str) -> list[tuple]:
    """The rows a full rebuild gives, without keeping it (the transaction is rolled back)."""
    with session_scope(url) as session:
        refresh_search_facets(session)
        rows = [tuple(row) for row in session.execute(text(
            "SELECT service_id, term_id, place, distance, is_example, name, minimum_age, maximum_age "
            "FROM search_facet ORDER BY service_id, term_id, place"))]
        session.rollback()
    return rows


def test_the_writers_keep_the_facets_equal_to_a_rebuild(database_url: str) -> None:
    load_content(CONTENT, database_url)
    feed = generate_services(300, seed=7)
    assert import_records(feed, database_url).created == 300
    first = _facets(database_url)
    assert first == _rebuilt(database_url)
    places = {row[2] for row in first}
    assert "" in places and any(p.startswith("q:") for p in places) and "colchester" in places

    # The council changes its feed: a service closes, one moves and is renamed, one gains a term, one loses all.
    changed = copy.deepcopy(feed)
    changed[0]["status"] = "inactive"
    changed[1]["service_areas"] = [{"id": f"{changed[1]['id']}:area:0", "name": "Uttlesford"}]
    changed[1]["name"] = "Aardvark first by name"
    changed[2]["taxonomy_terms"].append({"id": "category:equipment", "code": "equipment",
                                         "name": "Equipment", "taxonomy": "category"})
    changed[3]["taxonomy_terms"] = []
    report = import_records(changed, database_url)
    assert report.updated == 4 and not report.problems
    load_content(CONTENT, database_url)  # the seed content is replaced around the imported services

    after = _facets(database_url)
    assert after == _rebuilt(database_url)
    ids = {row[0] for row in after}
    assert changed[0]["id"] not in ids and changed[3]["id"] not in ids
    moved = {row[2] for row in after if row[0] == changed[1]["id"]}
    assert "uttlesford" in moved and "colchester" not in moved
    assert {row[5] for row in after if row[0] == changed[1]["id"]} == {"Aardvark first by name"}
    assert any(row[0] == changed[2]["id"] and row[1] == "category:equipment" for row in after)


def test_the_migration_fills_the_facets_of_an_existing_directory(database_url: str) -> None:
    """A council upgrading a live database gets its facets from the services already stored."""
    load_content(CONTENT, database_url)
    before = _facets(database_url)
    assert before
    migrate.downgrade(database_url, "0005")
    migrate.upgrade(database_url)
    assert _facets(database_url) == before
