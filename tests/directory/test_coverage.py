"""The coverage matrix: counts per category and district on a real database, gaps and thin cells, CSV."""
from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from sqlalchemy import delete

from bot.content.files import Content, District, Organization, ServiceRecord, Term, read_content
from bot.content.loader import load_content
from bot.db import models as m
from bot.db.queries.content import replace_content
from bot.db.queries.coverage import count_example_services, count_services_by_category_and_district
from bot.db.session import session_scope
from bot.directory.coverage import COVERED, GAP, THIN, build_matrix, load_matrix, matrix_csv
from tests.conftest import CONTENT

DISTRICTS = [District("colchester", "Colchester", "north_east", []), District("tendring", "Tendring", "north_east", []),
             District("harlow", "Harlow", "west", [])]
TERMS = [Term("category", "autism", "Autism support", []), Term("category", "transport", "Transport", []),
         Term("need", "adhd", "ADHD", [])]


def service(id: str, serves: dict, categories: list[str], *, example: bool = False, status: str = "active",
            needs: list[str] | None = None) -> ServiceRecord:
    """A service with only what coverage reads; everything else is a harmless default."""
    return ServiceRecord(id=id, organization="org", name=id, description="d", status=status, categories=categories,
                         needs=needs or [], minimum_age=None, maximum_age=None, serves=serves, example=example)


def small_content(*services: ServiceRecord) -> Content:
    return Content(districts=list(DISTRICTS), terms=list(TERMS), organizations=[Organization("org", "Org")],
                   services=list(services))


def counts(url: str, include_examples: bool = False) -> dict[tuple[str, str], int]:
    with session_scope(url) as session:
        return count_services_by_category_and_district(session, include_examples)


def test_a_service_counts_for_its_district_its_quadrant_or_the_county(database_url: str) -> None:
    with session_scope(database_url) as session:
        replace_content(session, small_content(
            service("colchester-only", {"districts": ["colchester"]}, ["autism"]),
            service("north-east", {"quadrants": ["north_east"]}, ["autism", "transport"]),
            service("county", {"county": True}, ["transport"]),
            service("closed", {"county": True}, ["autism"], status="inactive"),
            service("sample", {"districts": ["harlow"]}, ["autism"], example=True),
        ))
    assert counts(database_url) == {
        ("autism", "colchester"): 2, ("autism", "tendring"): 1,
        ("transport", "colchester"): 2, ("transport", "tendring"): 2, ("transport", "harlow"): 1,
    }
    with_examples = counts(database_url, include_examples=True)
    assert with_examples[("autism", "harlow")] == 1
    with session_scope(database_url) as session:
        assert count_example_services(session) == 1


def test_one_row_per_quadrant_or_county_counts_the_same(database_url: str) -> None:
    """A feed that stores one service_area row for a quadrant or the county (as an ORUK import might)."""
    with session_scope(database_url) as session:
        replace_content(session, small_content(
            service("north-east", {"quadrants": ["north_east"]}, ["autism"]),
            service("county", {"county": True}, ["transport"]),
        ))
        session.execute(delete(m.ServiceArea))
        session.add_all([
            m.ServiceArea(id="a", service_id="north-east", district_code="colchester", quadrant="north_east",
                          extent="quadrant"),
            m.ServiceArea(id="b", service_id="county", district_code="harlow", quadrant="west", extent="county"),
        ])
    assert counts(database_url) == {
        ("autism", "colchester"): 1, ("autism", "tendring"): 1,
        ("transport", "colchester"): 1, ("transport", "tendring"): 1, ("transport", "harlow"): 1,
    }


def test_matrix_marks_gaps_and_thin_cells(database_url: str) -> None:
    with session_scope(database_url) as session:
        replace_content(session, small_content(
            service("one", {"districts": ["colchester"]}, ["autism"]),
            service("two", {"districts": ["colchester"]}, ["autism"]),
            service("three", {"districts": ["tendring"]}, ["autism"]),
        ))
        matrix = load_matrix(session)
    assert [name for _, name in matrix.districts] == ["Colchester", "Harlow", "Tendring"]
    autism = next(row for row in matrix.rows if row.code == "autism")
    assert [(c.count, c.level) for c in autism.cells] == [(2, COVERED), (0, GAP), (1, THIN)]
    transport = next(row for row in matrix.rows if row.code == "transport")
    assert transport.gaps == 3
    assert matrix.gaps == 4 and matrix.thin == 1
    assert all(row.code != "adhd" for row in matrix.rows)  # needs are not categories


def test_real_content_matches_an_independent_count(database_url: str) -> None:
    """Every cell of the matrix for the real Local Offer, checked against a count made from the files."""
    load_content(CONTENT, database_url)
    content = read_content(CONTENT)
    quadrant_of = {d.code: d.quadrant for d in content.districts}
    for include_examples in (False, True):
        expected: Counter = Counter()
        for record in content.services:
            if record.status != "active" or (record.example and not include_examples):
                continue
            if record.serves.get("county"):
                served = set(quadrant_of)
            elif record.serves.get("quadrants"):
                served = {d for d, q in quadrant_of.items() if q in record.serves["quadrants"]}
            else:
                served = set(record.serves.get("districts", []))
            for category in set(record.categories):
                for district in served:
                    expected[(category, district)] += 1
        assert counts(database_url, include_examples) == dict(expected)
    with session_scope(database_url) as session:
        matrix = load_matrix(session)
    assert len(matrix.districts) == 12
    assert len(matrix.rows) == len([t for t in content.terms if t.taxonomy == "category"])


def test_matrix_csv() -> None:
    matrix = build_matrix([("autism", "Autism support"), ("x", "=cmd|' /C calc'!A0")],
                          [("colchester", "Colchester"), ("harlow", "Harlow")], {("autism", "harlow"): 3})
    rows = list(csv.reader(io.StringIO(matrix_csv(matrix))))
    assert rows == [["category", "Colchester", "Harlow"], ["Autism support", "0", "3"],
                    ["'=cmd|' /C calc'!A0", "0", "0"]]


@pytest.mark.parametrize("count,level", [(0, GAP), (1, THIN), (2, COVERED), (40, COVERED)])
def test_levels(count: int, level: str) -> None:
    assert build_matrix([("a", "A")], [("d", "D")], {("a", "d"): count}).rows[0].cells[0].level == level
