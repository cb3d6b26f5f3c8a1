"""Matching feed areas and terms to our districts, quadrants, categories and needs (pure)."""
from __future__ import annotations

from bot.oruk.mapping import AreaIndex, OurTerm, TermIndex, plan_service
from bot.oruk.schema import OrukArea, OrukOrganization, OrukService, OrukTerm

DISTRICTS = [("colchester", "Colchester", "north_east"), ("tendring", "Tendring", "north_east"),
             ("castle_point", "Castle Point", "south"), ("basildon", "Basildon", "south")]
PLACES = [("clacton-on-sea", "tendring"), ("canvey island", "castle_point")]
AREAS = AreaIndex(DISTRICTS, PLACES)
TERMS = TermIndex([
    OurTerm("category:autism", "category", "autism", "Autism support", ("autism support", "asd support")),
    OurTerm("need:autism", "need", "autism", "Autism", ("autistic", "asd")),
    OurTerm("category:speech_and_language_therapy", "category", "speech_and_language_therapy",
            "Speech and language therapy", ("salt", "speech therapy")),
])


def test_area_names_map_to_districts_quadrants_and_county() -> None:
    assert AREAS.districts_for("Colchester") == ("district", ["colchester"])
    assert AREAS.districts_for("Castle Point Borough Council") == ("district", ["castle_point"])
    assert AREAS.districts_for("castle_point") == ("district", ["castle_point"])
    assert AREAS.districts_for("Clacton-on-Sea") == ("district", ["tendring"])
    assert AREAS.districts_for("North East Essex") == ("quadrant", ["colchester", "tendring"])
    assert AREAS.districts_for("Essex County Council")[0] == "county"
    assert AREAS.districts_for("Southend-on-Sea") is None


def test_terms_match_by_id_code_name_and_synonym_with_the_taxonomy_as_a_hint() -> None:
    assert TERMS.match(OrukTerm("category:autism", "", "")).id == "category:autism"
    assert TERMS.match(OrukTerm("x1", "autism", "", "need")).id == "need:autism"
    assert TERMS.match(OrukTerm("x2", "autism", "")).id == "category:autism"
    assert TERMS.match(OrukTerm("x3", "", "Speech Therapy")).id == "category:speech_and_language_therapy"
    assert TERMS.match(OrukTerm("x4", "", "Autistic", "esc-needs")).id == "need:autism"
    assert TERMS.match(OrukTerm("x5", "K9", "Dog walking")) is None


def _service(areas: list[str], terms: list[OrukTerm]) -> OrukService:
    return OrukService(id="s1", name="Test", organization=OrukOrganization("o1", "Org"), description="Plain words",
                       service_areas=[OrukArea(f"a{i}", n) for i, n in enumerate(areas)], terms=terms)


def test_the_narrowest_extent_wins_and_each_area_name_is_kept() -> None:
    plan, notes = plan_service(_service(["North East Essex", "Colchester"], []), AREAS, TERMS)
    rows = {r["district_code"]: (r["extent"], r["service_area"]) for r in plan.service_areas}
    assert rows == {"colchester": ("district", "Colchester"), "tendring": ("quadrant", "North East Essex")}
    assert notes == []


def test_unknown_areas_and_terms_are_noted_and_the_service_kept_searchable() -> None:
    plan, notes = plan_service(_service(["Narnia"], [OrukTerm("t", "K9", "Dog walking")]), AREAS, TERMS)
    assert plan.service_areas == [] and plan.service_taxonomy == []
    assert "Dog walking" in plan.service["search_text"]
    assert {n.field for n in notes} == {"service_areas[0].name", "taxonomy_terms[0]"}
    assert all(str(n).startswith("service 's1' (Test)") for n in notes)


def test_search_text_holds_term_names_and_synonyms_like_the_loader() -> None:
    plan, _ = plan_service(_service([], [OrukTerm("category:autism", "autism", "Autism support")]), AREAS, TERMS)
    assert plan.service["search_text"] == "Test Plain words  Autism support autism support asd support"
    assert plan.service["is_example"] is False
