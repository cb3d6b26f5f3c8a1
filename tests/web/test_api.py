"""The public ORUK API on a real database with the YAML content and a generated feed imported."""
from __future__ import annotations

from dataclasses import replace

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bench.generate_directory import generate_services
from bot.config import Settings
from bot.db import models as m
from bot.db.session import session_scope
from bot.oruk.importer import import_records
from bot.web import create_app


@pytest.fixture(scope="module")
def client(loaded_db: str) -> FlaskClient:
    report = import_records(generate_services(150, seed=3), loaded_db)
    assert report.created == 150
    return create_app(replace(Settings(), database_url=loaded_db, secret_key="test")).test_client()


def _ids(page: dict) -> list[str]:
    return [s["id"] for s in page["contents"]]


def _areas(url: str, service_id: str) -> set[str]:
    with session_scope(url) as session:
        return set(session.execute(select(m.ServiceArea.district_code)
                                   .where(m.ServiceArea.service_id == service_id)).scalars())


def test_unfiltered_list_pages_through_every_active_service(client: FlaskClient, loaded_db: str) -> None:
    with session_scope(loaded_db) as session:
        active = session.execute(select(func.count()).select_from(m.Service)
                                 .where(m.Service.status == "active")).scalar_one()
    first = client.get("/api/services?per_page=100").get_json()
    assert first["total_items"] == active
    assert (first["page_number"], first["size"], first["first_page"], first["empty"]) == (1, 100, True, False)
    assert first["total_pages"] == -(-active // 100)
    second = client.get("/api/services?per_page=100&page=2").get_json()
    assert not set(_ids(first)) & set(_ids(second))
    beyond = client.get(f"/api/services?per_page=100&page={first['total_pages'] + 1}")
    assert beyond.status_code == 200 and beyond.get_json()["empty"] is True
    assert beyond.get_json()["last_page"] is True


def test_category_district_and_age_filters(client: FlaskClient, loaded_db: str) -> None:
    page = client.get("/api/services?category=speech_and_language_therapy&district=colchester&age=7"
                      "&per_page=100").get_json()
    assert page["contents"]
    for service in page["contents"]:
        assert "category:speech_and_language_therapy" in {t["id"] for t in service["taxonomy_terms"]}
        assert "colchester" in _areas(loaded_db, service["id"])
        assert service["minimum_age"] is None or service["minimum_age"] <= 7
        assert service["maximum_age"] is None or service["maximum_age"] >= 7
        assert service["status"] == "active"


def test_need_and_taxonomy_term_filters_agree(client: FlaskClient) -> None:
    by_need = client.get("/api/services?need=adhd&per_page=100").get_json()
    by_term = client.get("/api/services?taxonomy_term_id=need:adhd&per_page=100").get_json()
    assert by_need["contents"] and _ids(by_need) == _ids(by_term)
    for service in by_need["contents"]:
        assert {"need:adhd", "category:adhd"} & {t["id"] for t in service["taxonomy_terms"]}


def test_free_text_is_read_like_a_familys_message(client: FlaskClient, loaded_db: str) -> None:
    page = client.get("/api/services?text=autism%20support%20colchester&per_page=50").get_json()
    assert page["contents"]
    for service in page["contents"]:
        assert {"category:autism", "need:autism"} & {t["id"] for t in service["taxonomy_terms"]}
        assert "colchester" in _areas(loaded_db, service["id"])


def test_a_town_name_works_as_district(client: FlaskClient) -> None:
    assert _ids(client.get("/api/services?district=Clacton&per_page=100").get_json()) == \
        _ids(client.get("/api/services?district=tendring&per_page=100").get_json())


def test_one_service_in_full_and_a_kind_404(client: FlaskClient) -> None:
    record = client.get("/api/services/svc-000001").get_json()
    assert record["id"] == "svc-000001" and record["organization"]["id"]
    assert record["service_areas"] and record["taxonomy_terms"]
    missing = client.get("/api/services/no-such-service")
    assert missing.status_code == 404 and missing.is_json
    assert "could not find a service" in missing.get_json()["message"]
    unknown = client.get("/api/nothing-here")
    assert unknown.status_code == 404 and unknown.is_json


@pytest.mark.parametrize("query, words", [
    ("per_page=101", "per_page"), ("per_page=0", "per_page"), ("page=0", "page"), ("page=two", "page"),
    ("age=seven", "age"), ("age=200", "age"), ("category=knitting", "category"), ("need=xyz", "need"),
    ("taxonomy_term_id=foo:bar", "taxonomy term"), ("district=Narnia", "district"), ("text=" + "a" * 201, "text"),
])
def test_bad_parameters_get_a_plain_400(client: FlaskClient, query: str, words: str) -> None:
    response = client.get(f"/api/services?{query}")
    assert response.status_code == 400 and response.is_json
    body = response.get_json()
    assert body["error"] == "bad_request" and words in body["message"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_public_read_only_headers_and_no_cookies(client: FlaskClient) -> None:
    for path in ("/api/services", "/api/services/svc-000002", "/api/services/nope", "/api/services?age=x"):
        response = client.get(path, headers={"Origin": "https://another-council.example.org"})
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.mimetype == "application/json"
        assert "Set-Cookie" not in response.headers
    assert client.post("/api/services").status_code == 405


def test_openapi_description_lists_the_routes(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/services", "/services/{id}"} <= set(document["paths"])


def test_a_database_outage_answers_a_kind_503_in_json() -> None:
    down = "postgresql://postgres@127.0.0.1:9/nothing?connect_timeout=2"  # nothing listens on port 9
    app = create_app(replace(Settings(), database_url=down, secret_key="test"))
    response = app.test_client().get("/api/services")
    assert response.status_code == 503 and response.is_json
    assert "not available just now" in str(response.get_json())
