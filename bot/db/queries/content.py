"""Replace the Local Offer seed content in one go (used by `python -m bot load`), leaving imported services be.

Why only source='content': a council that imports its ORUK feed (`import-oruk`, source='oruk') must not lose
it on the next load of the YAML files (issue #6). The reference tables that imported services point at
(districts, taxonomy terms, organizations) are upserted, and an entry gone from the files is removed only
when no imported service still uses it, so every foreign key holds inside the one transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, exists, func, select, text
from sqlalchemy.orm import Session

from bot.content.files import Content, ContentError, ServiceRecord, Term
from bot.db import models as m
from bot.db.queries.answers import replace_content_answers
from bot.db.queries.facets import delete_search_facets, refresh_search_facets

# A content service's children, deleted before the service so foreign keys hold.
_CHILDREN = (m.ServiceTaxonomy, m.ServiceArea, m.CostOption, m.Schedule, m.Phone, m.Contact, m.ServiceAtLocation)
# Nothing imported points at these, so they are simply written again.
_RECREATED = (m.Place, m.OutsideArea, m.GuidanceArticle)
CONTENT, ORUK = "content", "oruk"


def replace_content(session: Session, content: Content) -> dict[str, int]:
    """Delete the loaded content and write `content`; the caller's transaction makes it all-or-nothing.

    Replacing rather than merging keeps loading idempotent and removes entries deleted from the files.
    """
    edited = _console_edited_articles(session)
    session.expunge_all()  # the deletes below are Core statements, which bypass the identity map
    _refuse_id_clashes(session, content)
    _delete_content_services(session)
    for model in _RECREATED:
        session.execute(delete(model.__table__))
    session.flush()
    _add_areas(session, content)
    _add_taxonomy(session, content)
    for o in content.organizations:
        session.merge(m.Organization(id=o.id, name=o.name, description=o.description, url=o.url, email=o.email))
    session.flush()
    quadrant_of = {d.code: d.quadrant for d in content.districts}
    names = {t.taxonomy + ":" + t.code: t for t in content.terms}
    for record in content.services:
        _add_service(session, record, quadrant_of, names)
    session.flush()
    _delete_unused_reference_rows(session, content)
    _index_services(session)
    refresh_search_facets(session, [record.id for record in content.services])
    now = datetime.utcnow().replace(microsecond=0)
    kept = 0
    for a in content.articles:
        console = edited.get(a.topic)
        if (
            console is not None
            and console["last_checked"]
            and a.last_checked
            and console["last_checked"] >= a.last_checked
        ):
            session.add(m.GuidanceArticle(**console))  # an officer's newer check wins over the older file
            kept += 1
            continue
        session.add(m.GuidanceArticle(
            topic=a.topic, title=a.title, summary=a.summary, steps=a.steps, timescales=a.timescales,
            who_can_help=a.who_can_help, if_it_goes_wrong=a.if_it_goes_wrong, source_url=a.source_url,
            local_offer_url=a.local_offer_url, last_checked=a.last_checked, review_due=a.review_due, updated_at=now,
            sources={name: [s.as_dict() for s in items] for name, items in a.sources.items()}, verify=dict(a.verify),
        ))
    session.flush()
    answers = replace_content_answers(session, content.answer_topics, now)
    return {
        **answers,
        "guidance articles kept as edited in the console": kept,
        "districts": len(content.districts),
        "taxonomy terms": len(content.terms),
        "organizations": len(content.organizations),
        "services": len(content.services),
        "guidance articles": len(content.articles),
        "imported services kept": _count_imported(session),
    }


def list_services_needing_verify(session: Session) -> list[m.Service]:
    """Loaded listings whose every source is undated or older than 2022, for officers to re-read first."""
    query = (select(m.Service).where(m.Service.source == CONTENT, m.Service.needs_verify.is_(True))
             .order_by(m.Service.name))
    return list(session.execute(query).scalars())


def _refuse_id_clashes(session: Session, content: Content) -> None:
    """A file service with the id of an imported one would overwrite the council's record: say so, write nothing."""
    ids = [s.id for s in content.services]
    clashes = sorted(session.execute(
        select(m.Service.id).where(m.Service.source == ORUK, m.Service.id.in_(ids))).scalars()) if ids else []
    if clashes:
        raise ContentError([f"service '{sid}': field 'id': an imported (ORUK) service already has this id; "
                            "give the file's service another id" for sid in clashes])


def _delete_content_services(session: Session) -> None:
    """The loader's own services and their children, and the locations only they used."""
    loaded = select(m.Service.id).where(m.Service.source == CONTENT).scalar_subquery()
    link = m.ServiceAtLocation.__table__
    locations = set(session.execute(select(link.c.location_id).where(link.c.service_id.in_(loaded))).scalars())
    delete_search_facets(session, CONTENT)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM service_fts WHERE service_id IN "
                             "(SELECT id FROM service WHERE source = :source)"), {"source": CONTENT})
    for model in _CHILDREN:
        table = model.__table__
        session.execute(delete(table).where(table.c.service_id.in_(loaded)))
    session.execute(delete(m.Service.__table__).where(m.Service.__table__.c.source == CONTENT))
    if locations:
        still_used = set(session.execute(select(link.c.location_id).where(link.c.location_id.in_(locations))).scalars())
        orphans = list(locations - still_used)
        if orphans:
            session.execute(delete(m.Address.__table__).where(m.Address.__table__.c.location_id.in_(orphans)))
            session.execute(delete(m.Location.__table__).where(m.Location.__table__.c.id.in_(orphans)))


def _delete_unused_reference_rows(session: Session, content: Content) -> None:
    """Districts, terms and organizations gone from the files, unless an imported service still uses them."""
    district, term, org = m.District.__table__, m.TaxonomyTerm.__table__, m.Organization.__table__
    area, tagged, place, service = (m.ServiceArea.__table__, m.ServiceTaxonomy.__table__, m.Place.__table__,
                                    m.Service.__table__)
    session.execute(delete(district).where(
        district.c.code.notin_([d.code for d in content.districts]),
        ~exists().where(area.c.district_code == district.c.code),
        ~exists().where(place.c.district_code == district.c.code)))
    session.execute(delete(term).where(
        term.c.id.notin_([f"{t.taxonomy}:{t.code}" for t in content.terms]),
        ~exists().where(tagged.c.taxonomy_term_id == term.c.id)))
    session.execute(delete(org).where(
        org.c.id.notin_([o.id for o in content.organizations]),
        ~exists().where(service.c.organization_id == org.c.id)))


def _count_imported(session: Session) -> int:
    query = select(func.count()).select_from(m.Service).where(m.Service.source == ORUK)
    return cast(int, session.execute(query).scalar_one())


def _console_edited_articles(session: Session) -> dict[str, dict[str, Any]]:
    """Articles an officer changed in the console, as column values, so loading the files does not undo them.

    The rule is "the newer check wins": an edited article is kept unless the file's last-checked date is later
    (someone updated the file since), and the change history in guidance_change says what was done.
    """
    topics = set(session.execute(select(m.GuidanceChange.topic).distinct()).scalars())
    if not topics:
        return {}
    columns = [c.key for c in m.GuidanceArticle.__table__.columns]
    articles = session.execute(select(m.GuidanceArticle).where(m.GuidanceArticle.topic.in_(topics))).scalars()
    return {a.topic: {name: getattr(a, name) for name in columns} for a in articles}


def _add_areas(session: Session, content: Content) -> None:
    for d in content.districts:
        session.merge(m.District(code=d.code, name=d.name, quadrant=d.quadrant))
    session.flush()
    session.add_all(
        m.Place(name=place, district_code=d.code) for d in content.districts for place in sorted(set(d.places))
    )
    session.add_all(
        m.OutsideArea(code=o.code, name=o.name, names=o.names, local_offer=o.local_offer, url=o.url)
        for o in content.outside_areas
    )


def _add_taxonomy(session: Session, content: Content) -> None:
    session.merge(m.Taxonomy(id="category", name="Service categories"))
    session.merge(m.Taxonomy(id="need", name="Needs"))
    session.flush()
    for t in content.terms:
        session.merge(m.TaxonomyTerm(id=f"{t.taxonomy}:{t.code}", taxonomy_id=t.taxonomy, code=t.code, name=t.name,
                                     synonyms=t.synonyms))
    session.flush()


def _served_districts(record: ServiceRecord, quadrant_of: dict[str, str]) -> list[tuple[str, str]]:
    serves = record.serves
    if serves.get("county"):
        return [(code, "county") for code in quadrant_of]
    if serves.get("quadrants"):
        wanted = set(serves["quadrants"])
        return [(code, "quadrant") for code, quadrant in quadrant_of.items() if quadrant in wanted]
    return [(code, "district") for code in serves.get("districts", [])]


def _add_service(session: Session, r: ServiceRecord, quadrant_of: dict[str, str], terms: dict[str, Term]) -> None:
    term_ids = [f"category:{c}" for c in r.categories] + [f"need:{n}" for n in r.needs]
    words = [r.name, r.description, r.eligibility]
    for term_id in term_ids:
        words.append(terms[term_id].name)
        words.extend(terms[term_id].synonyms)
    service = m.Service(
        id=r.id, organization_id=r.organization, name=r.name, description=r.description, status=r.status,
        minimum_age=r.minimum_age, maximum_age=r.maximum_age, url=r.url, email=r.email, eligibility=r.eligibility,
        referral=r.referral, assured_date=r.last_checked, is_example=r.example, search_text=" ".join(words),
        source=CONTENT, sources=[s.as_dict() for s in r.sources], needs_verify=r.verify, verify_note=r.verify_note,
    )
    session.add(service)
    if r.phone:
        service.phones.append(m.Phone(id=f"{r.id}:phone", number=r.phone, description="Main number"))
    if r.email:
        service.contacts.append(m.Contact(id=f"{r.id}:contact", name=r.name, email=r.email))
    for index, slot in enumerate(r.schedule):
        service.schedules.append(
            m.Schedule(id=f"{r.id}:schedule:{index}", byday=",".join(slot["days"]), opens_at=slot["opens_at"],
                       closes_at=slot["closes_at"], description=slot["description"])
        )
    if r.cost or r.cost_amount is not None:
        service.cost_options.append(m.CostOption(id=f"{r.id}:cost", option=r.cost, amount=r.cost_amount))
    for code, extent in _served_districts(r, quadrant_of):
        service.service_areas.append(
            m.ServiceArea(id=f"{r.id}:{code}", district_code=code, quadrant=quadrant_of[code], extent=extent)
        )
    if r.location and any(r.location.values()):
        location = m.Location(id=f"{r.id}:location", name=r.location["name"])
        location.addresses.append(
            m.Address(id=f"{r.id}:address", address_1=r.location["address_1"], city=r.location["city"],
                      postal_code=r.location["postcode"])
        )
        session.add(location)
        service.locations.append(m.ServiceAtLocation(id=f"{r.id}:at:{r.id}:location", location_id=location.id))
    session.flush()
    session.add_all(m.ServiceTaxonomy(service_id=r.id, taxonomy_term_id=t) for t in term_ids)


def _index_services(session: Session) -> None:
    """Add the loaded services to SQLite's FTS5 table (imported ones are already there); PostgreSQL's
    generated `search_vector` column follows every insert by itself."""
    if session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("INSERT INTO service_fts (service_id, search_text) SELECT id, search_text FROM service "
                         "WHERE source = :source"), {"source": CONTENT})
