"""Importing ORUK feeds into a real, migrated database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).

The round trip: a generated feed goes in, comes out of the public API, and must match field by field;
importing it again must change nothing.
"""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bench.generate_directory import generate_services
from bot.config import ROOT
from bot.db import models as m
from bot.db.queries.oruk import count_directory_rows
from bot.db.session import session_scope
from bot.directory.search import search_text
from bot.oruk.importer import NotReady, import_records
from bot.web import create_app

N = 120


@pytest.fixture(scope="module")
def feed() -> list[dict[str, Any]]:
    return generate_services(N, seed=11)


@pytest.fixture(scope="module")
def imported(loaded_db: str, feed: list[dict[str, Any]]) -> str:
    report = import_records(copy.deepcopy(feed), loaded_db, batch_size=50)
    assert (report.created, report.problems) == (N, [])
    return loaded_db


def _fresh(count: int, seed: int, prefix: str) -> list[dict[str, Any]]:
    """Generated records renamed `<prefix>-<n>`, children and locations included, so they never clash."""
    records = generate_services(count, seed=seed)
    return [json.loads(json.dumps(r).replace(r["id"], f"{prefix}-{i}").replace('"loc-', f'"{prefix}-loc-'))
            for i, r in enumerate(records)]


def _exported(url: str, ids: list[str]) -> dict[str, dict]:
    from dataclasses import replace

    from bot.config import get_settings

    client = create_app(replace(get_settings(), database_url=url, secret_key="t")).test_client()
    out = {}
    for service_id in ids:
        response = client.get(f"/api/services/{service_id}")
        assert response.status_code == 200, response.get_json()
        out[service_id] = response.get_json()
    return out


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The fields a feed gives, in a stable order; service-area and term ids are ours, so names are compared."""
    scalars = ["id", "name", "description", "url", "email", "status", "application_process",
               "eligibility_description", "minimum_age", "maximum_age", "assured_date"]
    out: dict[str, Any] = {k: record.get(k) for k in scalars}
    out["organization"] = {k: record["organization"].get(k) for k in ("id", "name", "description", "url", "email")}
    for key, fields in (("phones", ("id", "number", "description")), ("contacts", ("id", "name", "email")),
                        ("schedules", ("id", "byday", "opens_at", "closes_at", "description")),
                        ("cost_options", ("id", "option", "amount", "currency"))):
        out[key] = sorted(({f: row.get(f) for f in fields} for row in record.get(key, [])), key=lambda r: r["id"])
    out["service_areas"] = sorted(a["name"] for a in record.get("service_areas", []))
    out["service_at_locations"] = sorted((
        {"id": sal["id"], "location": {
            "id": sal["location"]["id"], "name": sal["location"]["name"],
            "description": sal["location"]["description"],
            "addresses": sorted(({f: a.get(f) for f in ("id", "address_1", "city", "state_province", "postal_code",
                                                        "country")} for a in sal["location"]["addresses"]),
                                key=lambda a: a["id"])}}
        for sal in record.get("service_at_locations", [])), key=lambda s: s["id"])
    out["taxonomy_terms"] = sorted((t["id"], t["code"], t["name"], t["taxonomy"]) for t in record["taxonomy_terms"])
    return out


def test_round_trip_matches_field_by_field(imported: str, feed: list[dict[str, Any]]) -> None:
    exported = _exported(imported, [s["id"] for s in feed])
    differences = []
    for original in feed:
        want, got = _comparable(original), _comparable(exported[original["id"]])
        differences += [f"{original['id']}.{k}: {want[k]!r} != {got[k]!r}" for k in want if want[k] != got[k]]
    assert differences == []


def test_importing_again_changes_nothing(imported: str, feed: list[dict[str, Any]]) -> None:
    with session_scope(imported) as session:
        before = count_directory_rows(session)
    report = import_records(copy.deepcopy(feed), imported, batch_size=37)
    assert (report.unchanged, report.created, report.updated) == (N, 0, 0)
    with session_scope(imported) as session:
        assert count_directory_rows(session) == before


def test_imported_services_are_found_by_the_bots_search_and_not_examples(imported: str, feed) -> None:
    target = next(s for s in feed if s["status"] == "active" and s["service_areas"][0]["name"] != "Essex")
    with session_scope(imported) as session:
        assert session.get(m.Service, target["id"]).is_example is False
        found = search_text(session, target["name"], limit=50)
        assert target["id"] in {c.id for c in found.cards}


def test_changed_fields_update_and_children_are_replaced_without_orphans(imported: str, feed) -> None:
    original = copy.deepcopy(next(s for s in feed if s["service_at_locations"] and s["phones"]))
    changed = copy.deepcopy(original)
    changed["name"] = "Renamed Zebrafinch Club"
    changed["phones"] = [{"id": f"{original['id']}:phone:new", "number": "01632 960999"}]
    changed["service_at_locations"] = [{"id": f"{original['id']}:at:fresh", "location": {
        "id": f"fresh-{original['id']}", "name": "New venue", "addresses": [{"id": f"fresh-{original['id']}:a",
                                                                              "city": "Harlow"}]}}]
    report = import_records([changed], imported)
    assert report.updated == 1
    with session_scope(imported) as session:
        service = session.get(m.Service, original["id"])
        assert service.name == "Renamed Zebrafinch Club"
        assert [p.number for p in service.phones] == ["01632 960999"]
        assert [sal.location.name for sal in service.locations] == ["New venue"]
        assert search_text(session, "zebrafinch").found  # the full-text index followed the change
        orphans = session.execute(text(
            "SELECT COUNT(*) FROM location l WHERE NOT EXISTS "
            "(SELECT 1 FROM service_at_location s WHERE s.location_id = l.id)")).scalar_one()
        assert orphans == 0
        leftover = session.execute(select(m.Phone).where(m.Phone.service_id == original["id"])).scalars().all()
        assert len(leftover) == 1
    assert import_records([original], imported).updated == 1  # and back, for the other tests


def test_invalid_records_are_named_and_skipped_and_the_rest_imported(imported: str) -> None:
    good = _fresh(2, 99, "bad-one")
    good[0]["minimum_age"] = "seven"
    good[0]["phones"][0]["number"] = ""
    report = import_records(good + ["not an object"], imported)
    assert report.created == 1 and report.skipped == 2
    text_problems = [str(p) for p in report.problems]
    assert any("service 'bad-one-0'" in t and "minimum_age" in t for t in text_problems)
    assert any("service 'bad-one-0'" in t and "phones[0].number" in t for t in text_problems)
    assert any("service '#3'" in t for t in text_problems)
    with session_scope(imported) as session:
        assert session.get(m.Service, "bad-one-0") is None
        assert session.get(m.Service, "bad-one-1") is not None


def test_strict_imports_nothing_when_any_record_is_bad(imported: str) -> None:
    records = _fresh(3, 5, "strict")
    records[2]["status"] = "maybe"
    report = import_records(records, imported, strict=True)
    assert report.aborted and report.imported == 0
    with session_scope(imported) as session:
        assert session.get(m.Service, "strict-0") is None


def test_dry_run_writes_nothing(imported: str) -> None:
    records = _fresh(1, 6, "dry-run-only")
    report = import_records(records, imported, dry_run=True)
    assert report.created == 1
    with session_scope(imported) as session:
        assert session.get(m.Service, "dry-run-only-0") is None


def test_unknown_areas_and_terms_are_reported_and_the_service_kept(imported: str) -> None:
    record = _fresh(1, 8, "unknown-area")[0]
    record.update(service_areas=[{"id": "x", "name": "Southend-on-Sea"}],
                  taxonomy_terms=[{"id": "esc:999", "code": "999", "name": "Wheelchair basketball"}])
    report = import_records([record], imported)
    assert report.created == 1
    notes = [str(n) for n in report.notes]
    assert any("'Southend-on-Sea' is not an Essex County Council district" in n for n in notes)
    assert any("'Wheelchair basketball' is not one of our categories" in n for n in notes)
    with session_scope(imported) as session:
        service = session.get(m.Service, "unknown-area-0")
        assert service.service_areas == [] and service.taxonomy_terms == []
        assert "unknown-area-0" in {c.id for c in search_text(session, "basketball").cards}


def test_a_store_failure_skips_only_that_service(imported: str, feed) -> None:
    records = _fresh(3, 12, "clash")
    for i, record in enumerate(records):
        record["phones"] = [{"id": f"clash-{i}:phone", "number": "01632 960000"}]
    records[1]["phones"][0]["id"] = feed[0]["phones"][0]["id"]  # a phone id another service already has
    report = import_records(records, imported)
    assert report.created == 2
    assert [p.service_id for p in report.problems] == ["clash-1"]
    assert "could not be stored" in report.problems[0].message


def test_unloaded_database_says_what_to_do(tmp_path: Path) -> None:
    from bot.db import migrate

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate.upgrade(url)
    with pytest.raises(NotReady, match="python -m bot load"):
        import_records(generate_services(1), url)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "bot", "import-oruk", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_imports_a_file_and_fails_when_nothing_could_be_imported(imported: str, tmp_path: Path) -> None:
    records = _fresh(2, 21, "cli")
    good = tmp_path / "feed.json"
    good.write_text(json.dumps({"contents": records}))
    done = _cli(imported, str(good))
    assert done.returncode == 0, done.stderr
    assert "Imported 2 of 2 services" in done.stdout and "2 new" in done.stdout
    assert "\r" not in done.stderr  # no progress bar when not on a terminal
    records[0]["name"] = ""
    records[1]["status"] = "gone"
    (tmp_path / "bad.json").write_text(json.dumps(records))
    done = _cli(imported, str(tmp_path / "bad.json"))
    assert done.returncode == 1
    assert "service 'cli-0'" in done.stderr and "field 'name'" in done.stderr
    (tmp_path / "junk.json").write_text("{not json")
    done = _cli(imported, str(tmp_path / "junk.json"))
    assert done.returncode == 1 and "not valid JSON" in done.stderr and "Traceback" not in done.stderr
    done = _cli(imported, str(tmp_path / "missing.json"))
    assert done.returncode == 1 and "could not read" in done.stderr
