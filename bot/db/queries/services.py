"""Find services: structured filters in SQL, full text through each database's own engine."""
from __future__ import annotations

import re
from itertools import combinations
from typing import Any, Iterable, Mapping, Sequence, cast

from sqlalchemy import and_, bindparam, case, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import Exists, ScalarSelect

from bot.db import models as m
from bot.db.queries.facets import ANYWHERE, QUADRANT_PREFIX

_WORD = re.compile(r"[a-z0-9]+")
# A word found in more services than this is not ranked (see match_words).
_COMMON_ABOVE = 2000



# What a result card shows, loaded in a few queries up front rather than one per service.
_CARD_LOADS = (
    selectinload(m.Service.organization),
    selectinload(m.Service.phones),
    selectinload(m.Service.cost_options),
    selectinload(m.Service.service_areas),
    selectinload(m.Service.taxonomy_terms),
    selectinload(m.Service.schedules),
)

def get_service(session: Session, service_id: str) -> m.Service | None:
    return cast("m.Service | None", session.get(m.Service, service_id))


def count_services(session: Session) -> int:
    return cast(int, session.execute(select(func.count()).select_from(m.Service)).scalar_one())


def list_candidate_services(
    session: Session,
    *,
    term_ids: Iterable[str] = (),
    districts: Iterable[str] = (),
    quadrants: Iterable[str] = (),
    age: int | None = None,
    age_to: int | None = None,
    service_ids: Iterable[str] | None = None,
    limit: int = 500,
) -> list[m.Service]:
    """Active services passing every filter given, with what a result card shows loaded up front (`age` to
    `age_to` is a range of ages: a service is kept when its own range overlaps it)."""
    query = select(m.Service).where(m.Service.status == "active")
    term_ids, districts, quadrants = list(term_ids), list(districts), list(quadrants)
    if term_ids:
        tagged = select(m.ServiceTaxonomy.service_id).where(m.ServiceTaxonomy.taxonomy_term_id.in_(term_ids))
        query = query.where(m.Service.id.in_(tagged))
    if districts or quadrants:
        area = select(m.ServiceArea.service_id).where(
            or_(m.ServiceArea.district_code.in_(districts), m.ServiceArea.quadrant.in_(quadrants))
        )
        query = query.where(m.Service.id.in_(area))
    if age is not None:
        query = query.where(*_overlaps_ages(m.Service.minimum_age, m.Service.maximum_age, age, age_to))
    if service_ids is not None:
        query = query.where(m.Service.id.in_(list(service_ids)))
    query = query.options(*_CARD_LOADS).order_by(m.Service.name).limit(limit)
    return list(session.execute(query).scalars())


def prefer_quick_plans(session: Session) -> None:
    """On PostgreSQL, no parallel workers or JIT for the rest of this transaction.

    Why: a search is a handful of index probes taking a few ms. With the defaults the planner launched
    parallel workers for joins over ~1k rows, and starting and waiting for them cost 50-100 ms on a busy
    2-core machine (EXPLAIN ANALYZE in bench/search.md); JIT compiling costs more than such queries run.
    SET LOCAL ends with the transaction, so other work keeps the server's settings.
    """
    if session.get_bind().dialect.name == "postgresql":  # one round trip for both (set_config(..., true) is SET LOCAL)
        session.execute(text("SELECT set_config('max_parallel_workers_per_gather', '0', true), "
                             "set_config('jit', 'off', true)"))


def rank_candidate_services(
    session: Session,
    *,
    category_terms: Sequence[str],
    need_terms: Sequence[Sequence[str]],
    district: str | None,
    quadrants: Sequence[str],
    age: int | None,
    service_ids: Iterable[str] | None,
    weights: Mapping[str, float],
    limit: int,
    only_ids: Iterable[str] | None = None,
    count_cap: int | None = None,
    age_to: int | None = None,
) -> tuple[list[tuple[str, float, str]], int]:
    """(id, score, name) of the best `limit` active services passing the filters, and how many pass.

    `age` alone is one age; with `age_to` it is the youngest of a band ('under 5' is 0 to 4), and a service
    passes when its own age range overlaps the band (a group for babies is one for under-fives too).

    With `count_cap`, counting stops a little past the cap where it would otherwise read every match, and a
    total above the cap means only "more than that" (the bot needs to know whether there are more than it
    showed; the API asks for the exact figure).

    Why in SQL: scoring thousands of candidates in Python meant loading them all (and the old 500-candidate
    cap, taken in name order, could drop the best local match at county scale). `weights` holds the ranking
    policy from bot.directory.search: category, need, example_bonus, district/quadrant/county extent, near/far.

    Three shapes. A search for categories or needs, in one place or none, is read from search_facet, which
    is kept in result order (_rank_from_facets): only as many rows as the page needs. With no category or
    need (words alone, or a place alone) every candidate gets the same term score, so the order is
    (is_example, name, id) from ix_service_rank_order. Otherwise (the services some words found, scored
    against the rest of the query) each part of the score is an indexed lookup per candidate.
    """
    groups = [[term] for term in category_terms] + [list(alternatives) for alternatives in need_terms]
    group_weights = [weights["category"]] * len(category_terms) + [weights["need"]] * len(need_terms)
    if groups and len(quadrants) <= 1 and service_ids is None and only_ids is None:
        return _rank_from_facets(session, groups, group_weights, district, quadrants[0] if quadrants else None,
                                 _age_range(age, age_to), weights, limit, count_cap)
    service, tagged, area = m.Service.__table__, m.ServiceTaxonomy.__table__, m.ServiceArea.__table__
    filters = [service.c.status == "active"]
    any_terms = [t for group in groups for t in group]
    # IN (subquery), not EXISTS: the planners then start from the term and area indexes, not from every service.
    if any_terms:
        filters.append(service.c.id.in_(select(tagged.c.service_id).where(tagged.c.taxonomy_term_id.in_(any_terms))))
    if quadrants and not district:
        if any_terms or service_ids is not None or only_ids is not None:
            # A quadrant covers ~45% of services: probe it per candidate (ix_service_area_service_quadrant), as
            # a LIMIT 1 subquery, which PostgreSQL cannot turn into a hash of every service in the quadrant.
            filters.append(_first(select(literal(1)).where(area.c.service_id == service.c.id,
                                                          area.c.quadrant.in_(list(quadrants)))).isnot(None))
        else:
            filters.append(service.c.id.in_(select(area.c.service_id).where(area.c.quadrant.in_(list(quadrants)))))
    if age is not None:
        filters.extend(_overlaps_ages(service.c.minimum_age, service.c.maximum_age, age, age_to))
    if service_ids is not None:
        filters.append(service.c.id.in_(list(service_ids)))
    if only_ids is not None:
        filters.append(service.c.id.in_(list(only_ids)))
    source = service
    if district:  # one row per service at most (unique service_id, district_code): filter and extent in one join
        source = service.join(area, and_(area.c.service_id == service.c.id, area.c.district_code == district))

    example = case((service.c.is_example.is_(False), literal(weights["example_bonus"])), else_=literal(0.0))
    if len(groups) <= 1 and not district and not quadrants:
        constant = group_weights[0] if groups else 0.0
        rows = session.execute(
            select(service.c.id, service.c.name, service.c.is_example).select_from(source).where(*filters)
            .order_by(service.c.is_example, service.c.name, service.c.id).limit(limit)
        ).all()
        bounded = service_ids if service_ids is not None else only_ids
        if bounded is not None and limit >= len(set(bounded)):
            total = len(rows)  # every candidate came back: nothing left to count
        else:
            matching = select(literal(1)).select_from(source).where(*filters)
            if count_cap is not None:
                matching = matching.limit(count_cap + 1)
            total = session.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
        bonus = weights["example_bonus"]
        return [(row.id, constant + (0.0 if row.is_example else bonus), row.name) for row in rows], total

    def has(term_ids: Sequence[str]) -> Exists:
        return exists().where(tagged.c.service_id == service.c.id, tagged.c.taxonomy_term_id.in_(list(term_ids)))

    # With one group asked for, every candidate has it (the filter says so): no lookup needed.
    score = example + literal(group_weights[0]) if len(groups) == 1 else example
    if len(groups) > 1:
        for group, weight in zip(groups, group_weights):
            score = score + case((has(group), literal(weight)), else_=literal(0.0))
    if district:
        score = score + case({name: literal(weights[name]) for name in ("district", "quadrant", "county")},
                             value=area.c.extent, else_=literal(0.0))
    elif quadrants:
        local = _first(select(literal(1)).where(area.c.service_id == service.c.id, area.c.extent != "county"))
        score = score + case((local.isnot(None), literal(weights["near"])), else_=literal(weights["far"]))
    scored = score.label("score")
    rows = session.execute(
        select(service.c.id, scored, service.c.name, func.count().over().label("total")).select_from(source)
        .where(*filters).order_by(scored.desc(), service.c.name, service.c.id).limit(limit)
    ).all()
    total = rows[0].total if rows else 0
    return [(row.id, float(row.score), row.name) for row in rows], total


def _age_range(age: int | None, age_to: int | None) -> tuple[int, int] | None:
    """The ages asked for as (youngest, oldest): one age is a range of one; no age is no filter."""
    if age is None:
        return None
    return (age, age if age_to is None else max(age, age_to))


def _overlaps_ages(minimum: Any, maximum: Any, age: int, age_to: int | None) -> list[ColumnElement[bool]]:
    """A service's ages overlap the ages asked for; an open end (no minimum or no maximum) is no limit."""
    youngest, oldest = _age_range(age, age_to) or (age, age)
    return [or_(minimum.is_(None), minimum <= oldest), or_(maximum.is_(None), maximum >= youngest)]


def _age_params(ages: tuple[int, int] | None) -> dict[str, int | None]:
    return {"age": ages[0] if ages else None, "age_to": ages[1] if ages else None}


# One index range of search_facet in result order; the age test (the service's ages overlap the ages asked for)
# is read from the same index, and the service's own status is checked at read time, so a service closed by
# any means is never shown.
_FACET_AGE = ("AND (:age IS NULL OR ((f.minimum_age IS NULL OR f.minimum_age <= :age_to) "
              "AND (f.maximum_age IS NULL OR f.maximum_age >= :age))) ")
_FACET_WALK = ("SELECT f.service_id, f.distance, f.is_example, f.name FROM search_facet f "
               "JOIN service s ON s.id = f.service_id WHERE f.place = :place AND s.status = 'active' "
               + _FACET_AGE)
_FACET_ORDER = "ORDER BY f.distance, f.is_example, f.name, f.service_id LIMIT :n"
_FACET_TERMS = text(
    "SELECT service_id, term_id FROM search_facet WHERE place = :place AND service_id IN :ids AND term_id IN :terms"
).bindparams(bindparam("ids", expanding=True), bindparam("terms", expanding=True))
# A capped count per term, all in one statement, from the index alone (the chat only needs "more than N").
_FACET_CAPPED = ("(SELECT count(*) FROM (SELECT 1 FROM search_facet f WHERE f.term_id = :t{i} AND f.place = :place "
                 + _FACET_AGE + "LIMIT :n) AS c{i})")
_FACET_DISTINCT = (
    "SELECT count(DISTINCT f.service_id) FROM search_facet f{join} "
    "WHERE f.term_id IN :terms AND f.place = :place{active} " + _FACET_AGE)
_FACET_DISTINCT_AS_WRITTEN = text(_FACET_DISTINCT.format(join="", active="")).bindparams(
    bindparam("terms", expanding=True))
_FACET_DISTINCT_ACTIVE = text(_FACET_DISTINCT.format(join=" JOIN service s ON s.id = f.service_id",
                                                     active=" AND s.status = 'active'")).bindparams(
    bindparam("terms", expanding=True))


def _rank_from_facets(session: Session, groups: Sequence[Sequence[str]], group_weights: Sequence[float],
                      district: str | None, quadrant: str | None, ages: tuple[int, int] | None,
                      weights: Mapping[str, float],
                      limit: int, count_cap: int | None) -> tuple[list[tuple[str, float, str]], int]:
    """rank_candidate_services for what the family asked for (each group: a category, or a need with its
    category alias) in at most one place, read from search_facet only as far as the page.

    Within one facet range the order is the policy's order for services that match the same groups (closer,
    then real listings, then name: the place weights differ by 1 and the example bonus is 0.5). So for every
    set S of the groups asked for, the first `limit` services having all of S (walking one group's ranges and
    checking the others per row) hold every service of the best page whose matched groups are exactly S: any
    service ahead of it in that walk scores at least as much and sorts first. The union of those walks is
    scored in full here, and the best `limit` taken.
    """
    names: tuple[str, ...]
    if district:
        place, names = district, ("district", "quadrant", "county")
    elif quadrant:
        place, names = QUADRANT_PREFIX + quadrant, ("near", "far")
    else:
        place, names = ANYWHERE, ()
    parts: list[str] = []
    params: dict[str, object] = {"place": place, "n": limit, **_age_params(ages)}
    checked_groups: set[int] = set()
    for size in range(1, len(groups) + 1):
        for walked, *checked in combinations(range(len(groups)), size):
            checked_groups.update(checked)
            checks = "".join(" AND EXISTS (SELECT 1 FROM search_facet o WHERE o.service_id = f.service_id "
                             f"AND o.place = f.place AND o.term_id IN :g{g})" for g in checked)
            for term in groups[walked]:
                params[f"t{len(parts)}"] = term
                parts.append(f"SELECT * FROM ({_FACET_WALK}AND f.term_id = :t{len(parts)}{checks} {_FACET_ORDER}) AS w")
    statement = text(" UNION ALL ".join(parts)).bindparams(
        *(bindparam(f"g{g}", expanding=True) for g in sorted(checked_groups)))
    params.update({f"g{g}": list(groups[g]) for g in checked_groups})
    found = {row.service_id: (row.distance, bool(row.is_example), row.name or "")
             for row in session.execute(statement, params)}
    terms = list(dict.fromkeys(term for group in groups for term in group))
    # With one group every candidate has it (the walk says so); with more, ask which terms each one holds.
    held = _terms_held(session, list(found), place, terms) if len(groups) > 1 else {sid: set(terms) for sid in found}
    group_sets = [set(group) for group in groups]
    ranked = []
    for service_id, (distance, is_example, name) in found.items():
        score = sum(weight for group, weight in zip(group_sets, group_weights) if held.get(service_id, set()) & group)
        score += weights[names[min(distance, len(names) - 1)]] if names else 0.0
        ranked.append((service_id, score + (0.0 if is_example else weights["example_bonus"]), name))
    ranked.sort(key=lambda row: (-row[1], row[2], row[0]))
    return ranked[:limit], _count_facets(session, terms, place, ages, count_cap)


def _terms_held(session: Session, service_ids: list[str], place: str, terms: list[str]) -> dict[str, set[str]]:
    """Which of the asked-for terms each candidate has (in this place, which every facet row of it shares)."""
    if not service_ids:
        return {}
    held: dict[str, set[str]] = {}
    rows = session.execute(_FACET_TERMS, {"ids": service_ids, "place": place, "terms": terms})
    for service_id, term_id in rows:
        held.setdefault(service_id, set()).add(term_id)
    return held


def _count_facets(session: Session, terms: Sequence[str], place: str, ages: tuple[int, int] | None,
                  cap: int | None) -> int:
    """How many services a facet search finds: exact, or (with `cap`) stopping a little past the cap.

    The capped count reads the facet index alone, so it counts services as the writers last left them; the
    exact count (the API's `total_items`) checks each service's own status too, like the page does.
    """
    where = {"terms": list(terms), "place": place, **_age_params(ages)}
    if cap is not None:
        params = {"place": place, "n": cap + 1, **_age_params(ages), **{f"t{i}": term for i, term in enumerate(terms)}}
        statement = text("SELECT " + ", ".join(_FACET_CAPPED.format(i=i) for i in range(len(terms))))
        counts = list(session.execute(statement, params).one())
        if max(counts) > cap or len(terms) == 1:
            return cast(int, max(counts))  # more than the cap (how much more does not matter), or the one term's count
        return cast(int, session.execute(_FACET_DISTINCT_AS_WRITTEN, where).scalar_one())
    return cast(int, session.execute(_FACET_DISTINCT_ACTIVE, where).scalar_one())


def _first(query: Select) -> ScalarSelect:
    """A correlated 'is there one?' probe, evaluated per row by both databases (never hashed over the table)."""
    return query.limit(1).scalar_subquery()


def _fts_words(words: Sequence[str]) -> list[str]:
    return [w for w in _WORD.findall(" ".join(words).lower()) if len(w) > 1]


def _match_query(dialect: str, words: Sequence[str]) -> str:
    """Any of `words`, each as a prefix, in the database's own full-text syntax (FTS5 or tsquery)."""
    if dialect == "sqlite":
        return " OR ".join(f'"{w}"*' for w in words)
    return " | ".join(f"{w}:*" for w in words)


def match_words(session: Session, words: Sequence[str], limit: int = 500) -> dict[str, float]:
    """Service id -> full-text relevance (higher is better) for any of `words`.

    Why words are split by how common they are: a word found in more than `_COMMON_ABOVE` services says
    almost nothing about which of them is best, yet ranking its matches costs time in proportion to how many
    there are (bm25 or ts_rank for every match: ~30-60 ms for a word in a third of a 100k directory). So only
    the rarer words are ranked. When every word is common, the first `limit` matches in the directory's own
    order are taken unranked (all 0.0), and the search orders them like any other tie: real listings first,
    then by name. A county directory of a few thousand services rarely has such words; a generated one does.
    """
    words = _fts_words(words)
    if not words:
        return {}
    rare = [w for w in words if _matches_at_most(session, w, _COMMON_ABOVE)]
    if rare:
        return rank_full_text(session, rare, limit)
    return {service_id: 0.0 for service_id in _first_matches(session, words, limit)}


def _matches_at_most(session: Session, word: str, cap: int) -> bool:
    """Whether `word` is found in at most `cap` services; stops counting at cap + 1 (a bounded probe)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        params = {"q": _match_query(dialect, [word]), "n": cap + 1}
        found: int = session.execute(text("SELECT count(*) FROM (SELECT 1 FROM service_fts WHERE service_fts MATCH :q "
                                          "LIMIT :n) AS m"), params).scalar_one()
        return found <= cap
    if dialect == "postgresql":
        return _estimated_matches(session, word) <= cap
    return True  # pragma: no cover


def _estimated_matches(session: Session, word: str) -> float:
    """PostgreSQL's own estimate of how many services match `word`, from the lexeme frequencies ANALYZE keeps
    for search_vector (autovacuum refreshes them as the directory changes).

    Why an estimate: counting even to 2,001 costs 5-7 ms for a word in a third of a 100k directory (a GIN
    bitmap of every match, or a sequential scan until enough are found), and the estimate is within a few per
    cent of the count for such words (33,998 against 33,658 for "calm"); planning the query costs ~0.2 ms. The
    answer only decides whether a word is worth ranking, so close is good enough.
    """
    plan = session.execute(text("EXPLAIN (FORMAT JSON) SELECT 1 FROM service "
                                "WHERE search_vector @@ to_tsquery('english', :q)"),
                           {"q": _match_query("postgresql", [word])}).scalar_one()
    return float(plan[0]["Plan"]["Plan Rows"])


def _first_matches(session: Session, words: list[str], limit: int) -> list[str]:
    """The first `limit` services matching any of `words`, in storage order, without ranking them all."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = "SELECT service_id FROM service_fts WHERE service_fts MATCH :q LIMIT :n"
    elif dialect == "postgresql":
        sql = "SELECT id FROM service WHERE search_vector @@ to_tsquery('english', :q) LIMIT :n"
    else:  # pragma: no cover
        return list(rank_full_text(session, words, limit))
    return [row[0] for row in session.execute(text(sql), {"q": _match_query(dialect, words), "n": limit})]


def rank_full_text(session: Session, words: list[str], limit: int = 500) -> dict[str, float]:
    """Service id -> relevance (higher is better) for any of `words`, using FTS5 or PostgreSQL full text."""
    words = _fts_words(words)
    if not words:
        return {}
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = _match_query(dialect, words)
        rows = session.execute(
            # FTS5's `rank` is bm25, worked out once per match (calling bm25() twice did it twice).
            text("SELECT service_id, -rank FROM service_fts WHERE service_fts MATCH :q ORDER BY rank LIMIT :n"),
            {"q": match, "n": limit},
        )
    elif dialect == "postgresql":
        query = _match_query(dialect, words)
        rows = session.execute(
            # The stored, GIN-indexed search_vector (migration 0005): no to_tsvector per matching row.
            text("SELECT id, ts_rank(search_vector, q) AS r FROM service, to_tsquery('english', :q) AS q "
                 "WHERE search_vector @@ q ORDER BY r DESC, id LIMIT :n"),
            {"q": query, "n": limit},
        )
    else:  # pragma: no cover - other databases fall back to a plain LIKE scan
        clauses = or_(*(m.Service.search_text.ilike(f"%{w}%") for w in words))
        rows = session.execute(select(m.Service.id, func.count()).where(clauses).group_by(m.Service.id))
    return {row[0]: float(row[1]) for row in rows}
