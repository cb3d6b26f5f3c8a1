"""The search facet table: one row per active service, taxonomy term and place it can be found in, in the
order a family sees results, so a search for one thing in one place reads a page from one index range.

Why: "speech therapy in Colchester" used to score every service with the category that serves the district
(about 1,300 at 100k services) before it could return three; a quadrant search about 3,000. With the rows
kept here in result order (closeness, real listings before examples, name), the databases walk
`ix_search_facet_order` and stop after the page. It is derived data, like the full-text index: the loader
and the importer refresh it for the services they write, and `refresh_search_facets(session)` rebuilds it.

`place` is a district code, 'q:<quadrant>' or '' (anywhere). `distance` orders closeness:
- district place: 0 listed for the district, 1 for its quadrant, 2 county-wide (service_area.extent);
- quadrant place: 0 when the service is listed anywhere for less than the whole county, else 1;
- anywhere: 0.
bot.directory.search turns a distance back into its weight; the table holds order, not policy.
"""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

ANYWHERE = ""
QUADRANT_PREFIX = "q:"

_COLUMNS = "term_id, place, distance, is_example, name, service_id, minimum_age, maximum_age"
_SERVICE = "s.is_example, s.name, s.id, s.minimum_age, s.maximum_age"
# Three INSERT ... SELECTs, one per kind of place; {only} narrows them to some services.
_FILL = (
    f"INSERT INTO search_facet ({_COLUMNS}) SELECT st.taxonomy_term_id, '', 0, {_SERVICE} "
    "FROM service s JOIN service_taxonomy st ON st.service_id = s.id WHERE s.status = 'active' {only}",
    f"INSERT INTO search_facet ({_COLUMNS}) SELECT st.taxonomy_term_id, sa.district_code, "
    "CASE sa.extent WHEN 'district' THEN 0 WHEN 'quadrant' THEN 1 ELSE 2 END, " + _SERVICE + " "
    "FROM service s JOIN service_taxonomy st ON st.service_id = s.id "
    "JOIN service_area sa ON sa.service_id = s.id "
    "WHERE s.status = 'active' AND sa.district_code IS NOT NULL {only}",
    f"INSERT INTO search_facet ({_COLUMNS}) SELECT st.taxonomy_term_id, q.place, "
    "CASE WHEN EXISTS (SELECT 1 FROM service_area x WHERE x.service_id = s.id AND x.extent <> 'county') "
    "THEN 0 ELSE 1 END, " + _SERVICE + " "
    "FROM service s JOIN service_taxonomy st ON st.service_id = s.id "
    "JOIN (SELECT DISTINCT service_id, 'q:' || quadrant AS place FROM service_area WHERE quadrant IS NOT NULL) q "
    "ON q.service_id = s.id WHERE s.status = 'active' {only}",
)


def refresh_search_facets(session: Session | Connection, service_ids: Sequence[str] | None = None) -> None:
    """Write the facet rows of these services again (all services when None), inside the caller's transaction.

    Call it after the services, their terms and their areas are written; a service that was deleted or is no
    longer active simply gets no rows back.
    """
    if service_ids is None:
        session.execute(text("DELETE FROM search_facet"))
        for statement in _FILL:
            session.execute(text(statement.format(only="")))
        return
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return
    for start in range(0, len(ids), 5000):  # bounded parameter lists for either database
        chunk = {"ids": ids[start:start + 5000]}
        session.execute(text("DELETE FROM search_facet WHERE service_id IN :ids")
                        .bindparams(bindparam("ids", expanding=True)), chunk)
        for statement in _FILL:
            session.execute(text(statement.format(only="AND s.id IN :ids"))
                            .bindparams(bindparam("ids", expanding=True)), chunk)


def delete_search_facets(session: Session, source: str) -> None:
    """Drop the rows of every service written by `source` ('content' or 'oruk'), before those services go."""
    session.execute(text("DELETE FROM search_facet WHERE service_id IN (SELECT id FROM service WHERE source = :s)"),
                    {"s": source})
