"""Loading content: the real folder loads, twice changes nothing, and a bad file names itself and writes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.content.files import ContentError, read_content
from bot.content.loader import load_content
from bot.db import models as m
from bot.db.session import session_scope
from tests.conftest import CONTENT


def _counts(url: str) -> dict[str, int]:
    with session_scope(url) as session:
        return {
            table.__tablename__: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (m.Service, m.Organization, m.ServiceArea, m.ServiceTaxonomy, m.GuidanceArticle, m.Place)
        }


def test_real_content_is_valid_and_big_enough() -> None:
    content = read_content(CONTENT)
    assert len(content.services) >= 150
    assert {d.code for d in content.districts} == {
        "basildon", "braintree", "brentwood", "castle_point", "chelmsford", "colchester", "epping_forest",
        "harlow", "maldon", "rochford", "tendring", "uttlesford",
    }
    assert {d.quadrant for d in content.districts} == {"north_east", "mid", "south", "west"}
    used = {c for s in content.services for c in s.categories}
    assert len(used) >= 15


def test_loading_twice_changes_nothing(database_url: str) -> None:
    load_content(CONTENT, database_url)
    first = _counts(database_url)
    load_content(CONTENT, database_url)
    assert _counts(database_url) == first
    assert first["service"] >= 150


def _break(folder: Path, relative: str, mutate) -> None:
    path = folder / relative
    data = yaml.safe_load(path.read_text())
    mutate(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_bad_field_is_named_with_file_and_entry(content_copy: Path) -> None:
    _break(content_copy, "services/colchester.yml", lambda d: d["services"][0].update(minimum_age="seven"))
    with pytest.raises(ContentError) as caught:
        read_content(content_copy)
    problem = caught.value.problems[0]
    assert "services/colchester.yml" in problem and "minimum_age" in problem and "service '" in problem


def test_unknown_codes_and_missing_fields_are_all_reported(content_copy: Path) -> None:
    def mutate(d: dict) -> None:
        d["services"][0]["categories"] = ["not_a_category"]
        d["services"][1].pop("name")
    _break(content_copy, "services/harlow.yml", mutate)
    _break(content_copy, "guidance/annual_review.yml", lambda d: d.update(last_checked="last week"))
    with pytest.raises(ContentError) as caught:
        read_content(content_copy)
    text = "\n".join(caught.value.problems)
    assert "'not_a_category' is not a category" in text
    assert "field 'name': is missing" in text
    assert "guidance/annual_review.yml" in text and "last_checked" in text


def test_sources_and_verify_are_validated_naming_file_entry_and_field(content_copy: Path) -> None:
    def article(d: dict) -> None:
        d["sources"]["steps"][0]["checked"] = "yesterday"
        d["sources"]["summary"][0].pop("page_date")
        d["verify"]["who_can_help"] = {"verify": "yes"}
    _break(content_copy, "guidance/draft_plan.yml", article)

    def service(d: dict) -> None:
        camhs = next(s for s in d["services"] if s["id"] == "set-camhs")
        camhs["sources"] = []
        hub = next(s for s in d["services"] if s["id"] == "children-and-families-hub")
        hub.pop("verify_note")
    _break(content_copy, "services/county.yml", service)
    with pytest.raises(ContentError) as caught:
        read_content(content_copy)
    text = "\n".join(caught.value.problems)
    assert "guidance/draft_plan.yml, sources.steps[1]: field 'checked': must be a date" in text
    assert "guidance/draft_plan.yml, sources.summary[1]: field 'page_date': is missing" in text
    assert "guidance/draft_plan.yml: field 'verify': must be true or false" in text
    assert "services/county.yml: service 'set-camhs': field 'sources': must be a list" in text
    assert "services/county.yml: service 'children-and-families-hub': field 'verify_note': is missing" in text


def test_sources_are_stored_with_the_article_and_the_service(loaded_db: str) -> None:
    from bot.db import models as m
    from bot.db.session import session_scope

    with session_scope(loaded_db) as db:
        article = db.get(m.GuidanceArticle, "draft_plan")
        assert set(article.sources) == {"summary", "steps", "timescales", "who_can_help", "if_it_goes_wrong"}
        assert article.sources["timescales"][0] == {
            "url": "https://www.ipsea.org.uk/what-to-do-when-you-receive-your-draft-ehc-plan",
            "page_date": None, "checked": "2026-12-05"}
        assert "steps" in article.verify and article.verify["steps"]
        service = db.get(m.Service, "set-camhs")
        assert service.needs_verify and service.sources[0]["url"] == "https://www.nelft.nhs.uk/set-camhs-get-in-touch"


def test_a_bad_file_writes_nothing(database_url: str, content_copy: Path) -> None:
    load_content(CONTENT, database_url)
    before = _counts(database_url)
    _break(content_copy, "services/basildon.yml", lambda d: d["services"][0].update(serves={"districts": ["narnia"]}))
    with pytest.raises(ContentError):
        load_content(content_copy, database_url)
    assert _counts(database_url) == before


def test_invalid_yaml_is_reported_not_raised_raw(content_copy: Path) -> None:
    (content_copy / "services" / "maldon.yml").write_text("services: [\n  - id: x\n")
    with pytest.raises(ContentError) as caught:
        read_content(content_copy)
    assert "maldon.yml" in caught.value.problems[0]


def test_a_failed_write_rolls_back(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the database refuses part-way through, the old content is still all there."""
    load_content(CONTENT, database_url)
    before = _counts(database_url)
    import bot.db.queries.content as writer

    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(writer, "_index_services", explode)
    with pytest.raises(RuntimeError):
        load_content(CONTENT, database_url)
    assert _counts(database_url) == before


def test_an_officers_console_edit_survives_a_reload_until_the_file_is_checked_later(
    database_url: str, content_copy: Path
) -> None:
    from datetime import date, timedelta

    from bot.db.queries.guidance import get_article
    from bot.guidance.editing import update_guidance_article

    load_content(CONTENT, database_url)
    with session_scope(database_url) as session:
        article = get_article(session, "assessment_timeline")
        checked = article.last_checked
        update_guidance_article(session, "assessment_timeline", {"summary": "An officer's clearer summary."}, "officer1")
    load_content(CONTENT, database_url)
    with session_scope(database_url) as session:
        assert get_article(session, "assessment_timeline").summary == "An officer's clearer summary."

    # Someone then checks the file itself on a later date: the file wins.
    path = next(p for p in (content_copy / "guidance").glob("*.yml")
                if yaml.safe_load(p.read_text(encoding="utf-8")).get("topic") == "assessment_timeline")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["last_checked"] = (max(checked, date.today()) + timedelta(days=1)).isoformat()
    data["review_due"] = (date.today() + timedelta(days=200)).isoformat()
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    load_content(content_copy, database_url)
    with session_scope(database_url) as session:
        assert get_article(session, "assessment_timeline").summary != "An officer's clearer summary."


# --- issue #6: `load` replaces only its own services, never the ones imported with `import-oruk` -------------

def _fts_rows(url: str) -> dict[str, int] | None:
    """Service id -> full-text rows for it: FTS5 rows on SQLite, a filled search_vector on PostgreSQL."""
    from sqlalchemy import text

    with session_scope(url) as session:
        if session.get_bind().dialect.name == "sqlite":
            rows = session.execute(text("SELECT service_id, count(*) FROM service_fts GROUP BY service_id"))
        else:
            rows = session.execute(text("SELECT id, count(*) FROM service WHERE search_vector IS NOT NULL "
                                        "AND search_vector <> ''::tsvector GROUP BY id"))
        return {sid: n for sid, n in rows}


def _directory_snapshot(url: str) -> dict:
    from bot.db.queries.oruk import count_directory_rows

    with session_scope(url) as session:
        counts = count_directory_rows(session)
        counts.update({table.__tablename__: session.execute(select(func.count()).select_from(table)).scalar_one()
                       for table in (m.District, m.Place, m.TaxonomyTerm, m.Taxonomy, m.GuidanceArticle)})
        sources = dict(session.execute(select(m.Service.source, func.count()).group_by(m.Service.source)).all())
    return {"counts": counts, "sources": sources, "fts": _fts_rows(url)}


def test_load_keeps_imported_services_searchable_and_twice_changes_nothing(database_url: str) -> None:
    from bench.generate_directory import generate_services
    from bot.directory.search import search_text
    from bot.directory.vocabulary import clear_vocabulary_cache
    from bot.oruk.importer import import_records

    load_content(CONTENT, database_url)
    feed = generate_services(40, seed=21)
    feed[0]["name"] = "Quokkaberry Sensory Club"  # a word no seed service has, to find it by full text
    report = import_records(feed, database_url)
    assert (report.created, report.problems) == (40, [])
    imported_ids = {r["id"] for r in feed}
    before = _directory_snapshot(database_url)
    assert before["sources"]["oruk"] == 40 and before["sources"]["content"] >= 150

    load_content(CONTENT, database_url)
    clear_vocabulary_cache()
    after = _directory_snapshot(database_url)
    assert after == before  # nothing imported was lost, and the seed content was replaced like for like
    with session_scope(database_url) as session:
        stored = set(session.execute(select(m.Service.id).where(m.Service.source == "oruk")).scalars())
        assert stored == imported_ids
        assert feed[0]["id"] in {c.id for c in search_text(session, "quokkaberry").cards}
        assert session.get(m.Service, feed[0]["id"]).phones  # its children were kept too
        assert search_text(session, "hydrotherapy").found  # and the seed content is searchable as before
        every_service = set(session.execute(select(m.Service.id)).scalars())
    assert set(after["fts"]) == every_service and all(n == 1 for n in after["fts"].values())

    load_content(CONTENT, database_url)
    assert _directory_snapshot(database_url) == before  # and a second load changes nothing either


def test_a_seed_service_removed_from_the_files_goes_but_imported_ones_stay(database_url: str,
                                                                            content_copy: Path) -> None:
    load_content(CONTENT, database_url)
    before = _directory_snapshot(database_url)
    path = content_copy / "services" / "maldon.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    removed = data["services"].pop(0)["id"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    load_content(content_copy, database_url)
    after = _directory_snapshot(database_url)
    with session_scope(database_url) as session:
        assert session.get(m.Service, removed) is None
    assert removed not in after["fts"]
    assert after["sources"] == {**before["sources"], "content": before["sources"]["content"] - 1}
    load_content(CONTENT, database_url)
    assert _directory_snapshot(database_url) == before


def test_a_seed_service_with_an_imported_id_is_refused_and_nothing_is_written(database_url: str,
                                                                               content_copy: Path) -> None:
    from bench.generate_directory import generate_services
    from bot.oruk.importer import import_records

    load_content(CONTENT, database_url)
    feed = generate_services(2, seed=8)
    assert not import_records(feed, database_url).problems
    taken = feed[0]["id"]
    path = content_copy / "services" / "maldon.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["services"][0]["id"] = taken
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    before = _directory_snapshot(database_url)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy, database_url)
    assert taken in caught.value.problems[0] and "imported" in caught.value.problems[0]
    assert _directory_snapshot(database_url) == before
