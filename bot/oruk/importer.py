"""Import an ORUK feed: fetch, check every record, match areas and terms, then upsert in batches.

Why batches with a one-by-one fallback: one transaction per batch keeps a 100,000-service feed quick and
never half-writes a service; if a batch fails to store (say a phone id another service already uses), it
is retried a service at a time, so only the services that really cannot be stored are reported and skipped.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.db import models as m
from bot.db.queries.areas import list_districts, list_places, list_taxonomy_terms
from bot.db.queries.oruk import classify_plans, upsert_services
from bot.db.session import session_scope
from bot.oruk.mapping import AreaIndex, Note, OurTerm, ServicePlan, TermIndex, plan_service
from bot.oruk.schema import OrukService, Problem, validate_service

DEFAULT_BATCH = 500


class NotReady(Exception):
    """The database has no areas or categories yet, so nothing could be matched."""


@dataclass
class ImportReport:
    """What an import did, for the officer: counts, and every problem and note with the record named."""

    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    skipped_ids: set[str] = field(default_factory=set)
    aborted: bool = False
    dry_run: bool = False

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def skipped(self) -> int:
        return len(self.skipped_ids)


def validate_records(records: Sequence[Any]) -> tuple[list[OrukService], list[Problem]]:
    """Clean services and the problems of the rest; a repeated service id is a problem on the repeat."""
    services, problems, seen = [], [], set()
    for position, raw in enumerate(records, start=1):
        service, found = validate_service(raw, position)
        if service is not None and service.id in seen:
            found = [Problem(service.id, service.name, "id", "appears more than once in the feed; "
                                                             "the first one was kept")]
            service = None
        problems.extend(found)
        if service is not None:
            seen.add(service.id)
            services.append(service)
    return services, problems


def load_indexes(session: Any) -> tuple[AreaIndex, TermIndex]:
    districts = list_districts(session)
    terms = [t for t in list_taxonomy_terms(session) if t.taxonomy_id in ("category", "need")]
    if not districts or not terms:
        raise NotReady("the districts and categories are not in the database yet: run "
                       "'python -m bot load data/local_offer' first")
    areas = AreaIndex([(d.code, d.name, d.quadrant) for d in districts],
                      [(p.name, p.district_code) for p in list_places(session)])
    return areas, TermIndex(OurTerm(t.id, t.taxonomy_id, t.code, t.name, tuple(t.synonyms or ())) for t in terms)


def import_records(
    records: Sequence[Any],
    database_url: str | None = None,
    *,
    dry_run: bool = False,
    strict: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check, match and store `records` (raw ORUK service dicts); raises NotReady on an unloaded database."""
    report = ImportReport(received=len(records), dry_run=dry_run)
    services, report.problems = validate_records(records)
    with session_scope(database_url) as session:
        areas, terms = load_indexes(session)
        plans = []
        for service in services:
            plan, notes = plan_service(service, areas, terms)
            report.notes.extend(notes)
            plans.append(plan)
        plans = _drop_unknown_organizations(session, plans, services, report)
    report.skipped_ids = {p.service_id for p in report.problems}
    if strict and report.problems:
        report.aborted = True
        return report
    for start in range(0, len(plans), batch_size):
        batch = plans[start:start + batch_size]
        _store_batch(batch, database_url, dry_run, report)
        if progress:
            progress(len(batch))
    return report


def _drop_unknown_organizations(session: Any, plans: list[ServicePlan], services: list[OrukService],
                                report: ImportReport) -> list[ServicePlan]:
    """A record that only names its organization_id needs that organization in the feed or already stored."""
    in_feed = {p.organization_id for p in plans if p.organization}
    wanted = {p.organization_id for p in plans if not p.organization} - in_feed
    stored = set(session.execute(select(m.Organization.id).where(m.Organization.id.in_(wanted))).scalars()) \
        if wanted else set()
    names = {s.id: s.name for s in services}
    kept = []
    for plan in plans:
        if not plan.organization and plan.organization_id not in in_feed | stored:
            report.problems.append(Problem(plan.id, names[plan.id], "organization_id",
                                           f"'{plan.organization_id}' is not in the feed or the directory"))
        else:
            kept.append(plan)
    return kept


def _store_batch(batch: list[ServicePlan], database_url: str | None, dry_run: bool, report: ImportReport) -> None:
    try:
        with session_scope(database_url) as session:
            outcome = classify_plans(session, batch) if dry_run else upsert_services(session, batch)
        _count(report, outcome.values())
        return
    except SQLAlchemyError:
        pass  # retried below, one service at a time
    for plan in batch:  # find the services that cannot be stored; keep the rest
        try:
            with session_scope(database_url) as session:
                outcome = upsert_services(session, [plan])
            _count(report, outcome.values())
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", error)).splitlines()[0][:200]
            report.problems.append(Problem(plan.id, plan.service["name"], "(record)",
                                           f"could not be stored: {reason}"))
            report.skipped_ids.add(plan.id)


def _count(report: ImportReport, outcomes: Iterable[str]) -> None:
    for outcome in outcomes:
        setattr(report, outcome, getattr(report, outcome) + 1)


def make_progress(total: int, description: str) -> tuple[Callable[[int], None], Callable[[], None]]:
    """A tqdm bar on stderr, silent when stderr is not a terminal (logs and pipes stay clean)."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=description, unit="service", file=sys.stderr, disable=not sys.stderr.isatty(),
               leave=False)
    return bar.update, bar.close
