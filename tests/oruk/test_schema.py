"""Checking ORUK records: every problem names the service, its name and the field; good records come out clean."""
from __future__ import annotations

from datetime import date

from bot.oruk.schema import validate_service


def _service(**overrides):
    record = {"id": "svc-1", "name": "Colchester Autism Group", "organization": {"id": "org-1", "name": "Org"},
              "status": "active"}
    record.update(overrides)
    return record


def test_a_good_record_is_read_with_its_children() -> None:
    service, problems = validate_service(_service(
        minimum_age=4, maximum_age="16", assured_date="2026-03-01T10:00:00Z",
        phones=[{"number": "01632 960000"}],
        schedules=[{"id": "s1", "byday": "MO, WE", "opens_at": "09:00:00", "closes_at": "17:30"}],
        cost_options=[{"option": "£5 a session", "amount": "5.00", "currency": "gbp"}],
        service_areas=[{"name": "Colchester"}],
        service_at_locations=[{"location": {"id": "loc-1", "name": "Hub", "addresses": [
            {"address_1": "1 High St", "city": "Colchester", "postal_code": "CO1 1AA", "country": "UK"},
            {"address_1": "online", "address_type": "virtual"}]}}],
    ), 1)
    assert problems == []
    assert service.maximum_age == 16 and service.assured_date == date(2026, 3, 1)
    assert service.phones[0].id == "svc-1:phone:0"
    assert (service.schedules[0].byday, service.schedules[0].opens_at) == ("MO,WE", "09:00")
    assert (service.cost_options[0].amount, service.cost_options[0].currency) == (5.0, "GBP")
    assert [a.country for a in service.locations[0].location.addresses] == ["GB"]  # the virtual one is left out


def test_every_problem_names_service_name_and_field() -> None:
    service, problems = validate_service(_service(
        minimum_age=12, maximum_age=5, email="not-an-email", status="open",
        phones=[{"number": ""}], schedules=[{"byday": "XX", "opens_at": "25:00"}],
        cost_options=[{"amount": "lots"}], service_areas=[{"id": "a"}],
    ), 1)
    assert service is None
    text = [str(p) for p in problems]
    assert all(t.startswith("service 'svc-1' (Colchester Autism Group): field '") for t in text)
    fields = {p.field for p in problems}
    assert {"minimum_age", "email", "status", "phones[0].number", "schedules[0].byday", "schedules[0].opens_at",
            "cost_options[0].amount", "service_areas[0].name"} <= fields


def test_missing_id_name_and_organization_are_reported_by_position() -> None:
    service, problems = validate_service({"description": "no id"}, 7)
    assert service is None
    assert {p.field for p in problems} == {"id", "name", "organization"}
    assert all(p.service_id == "#7" for p in problems)
    _, problems = validate_service("just text", 3)
    assert str(problems[0]) == "service '#3': field '(record)': must be a JSON object"


def test_older_oruk_names_are_read() -> None:
    service, problems = validate_service(_service(
        eligibilitys=[{"eligibility": "Children with autism", "minimum_age": 5, "maximum_age": 11}],
        regular_schedules=[{"weekday": "Tuesday", "opens_at": "10:00", "closes_at": "12:00"}],
        service_taxonomys=[{"taxonomy": {"id": "t1", "name": "Autism", "vocabulary": "need"}}],
        service_at_locations=[{"location": {"id": "l1", "physical_addresses": [{"address_1": "2 Mill Rd"}]}}],
        service_areas=[{"service_area": "Tendring"}],
    ), 1)
    assert problems == []
    assert (service.minimum_age, service.maximum_age, service.eligibility) == (5, 11, "Children with autism")
    assert service.schedules[0].byday == "TU"
    assert (service.terms[0].name, service.terms[0].taxonomy) == ("Autism", "need")
    assert service.locations[0].location.addresses[0].address_1 == "2 Mill Rd"
    assert service.service_areas[0].name == "Tendring"


def test_terms_from_attributes_and_taxonomy_terms_are_kept_once() -> None:
    term = {"id": "category:autism", "code": "autism", "name": "Autism support", "taxonomy": "category"}
    service, _ = validate_service(_service(taxonomy_terms=[term], attributes=[{"taxonomy_term": term}]), 1)
    assert len(service.terms) == 1


def test_values_too_long_for_the_database_are_reported_not_cut() -> None:
    _, problems = validate_service(_service(id="x" * 101, phones=[{"number": "1" * 41}]), 1)
    assert {"id", "phones[0].number"} <= {p.field for p in problems}
