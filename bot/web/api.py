"""The public, read-only Open Referral UK API: `/api/services`, `/api/services/<id>`, `/api/openapi.json`.

Why: councils, charities and other Local Offer sites reuse directory data through ORUK, and the same search
the assistant uses (bot/directory/search.py) answers here, so a family and a developer see the same services.
Everything is public data, so any origin may read it (CORS *) and caches may keep it for five minutes;
nothing here reads or sets a cookie, and every bad request gets a plain JSON message, never a page or a trace.
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from bot.db.queries.oruk import list_active_service_ids, list_services_for_export
from bot.db.session import session_scope
from bot.directory.search import ServiceQuery, search_services
from bot.directory.vocabulary import QUADRANT_LABELS, Vocabulary, get_vocabulary
from bot.oruk.export import export_service, page_envelope

log = logging.getLogger(__name__)
api = Blueprint("api", __name__, url_prefix="/api")

OPENAPI = Path(__file__).resolve().parent.parent / "oruk" / "openapi.json"
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_TEXT = 200


class BadRequest(Exception):
    """A query parameter we cannot use; the message is shown to the caller as it is."""


def register_api(app: Flask) -> None:
    """Add the API to `app`, exempt from CSRF (read-only GETs, and callers are other sites, not forms)."""
    app.register_blueprint(api)
    csrf = app.extensions.get("csrf")
    if csrf is not None:
        csrf.exempt(api)


@api.after_request
def _public_headers(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-store" if response.status_code >= 500 else "public, max-age=300"
    response.headers.pop("Set-Cookie", None)
    return response


@api.errorhandler(BadRequest)
def _bad_request(error: BadRequest) -> tuple[Response, int]:
    return _error("bad_request", str(error), 400)


@api.errorhandler(SQLAlchemyError)
def _store_down(_exception: SQLAlchemyError) -> tuple[Response, int]:
    log.exception("Directory API could not read the database")
    return _error("unavailable", "The directory is not available just now. Please try again in a few minutes.", 503)


@api.errorhandler(Exception)
def _unexpected(error: Exception) -> tuple[Response, int]:
    if getattr(error, "code", None) == 404:
        return _not_found()
    code = getattr(error, "code", None)
    if isinstance(code, int) and code < 500:
        return _error("bad_request", "This request could not be understood.", code)
    log.exception("Directory API failed")
    return _error("server_error", "Something went wrong on our side. Please try again later.", 500)


@api.get("/services")
def list_services() -> Response:
    """ORUK page of active services matching the filters, best match first (by name when unfiltered)."""
    page = _int_param("page", 1, 1, 1_000_000)
    per_page = _int_param("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    with session_scope(_database_url()) as session:
        vocabulary = get_vocabulary(session)
        query = _build_query(vocabulary)
        offset = (page - 1) * per_page
        if query == ServiceQuery():
            ids, total = list_active_service_ids(session, per_page, offset)
        else:
            result = search_services(session, query, limit=per_page, offset=offset)
            ids, total = [card.id for card in result.cards], result.total
        contents = [export_service(s, vocabulary.district_names) for s in list_services_for_export(session, ids)]
    return jsonify(page_envelope(contents, total, page, per_page))


@api.get("/services/<service_id>")
def get_service(service_id: str) -> Response | tuple[Response, int]:
    with session_scope(_database_url()) as session:
        found = list_services_for_export(session, [service_id])
        if not found:
            return _not_found(service_id)
        record = export_service(found[0], get_vocabulary(session).district_names)
    return jsonify(record)


@api.get("/openapi.json")
def openapi() -> Response:
    return jsonify(_openapi_document())


@api.route("/<path:_rest>")
def unknown(_rest: str) -> tuple[Response, int]:
    return _not_found()


@lru_cache(maxsize=1)
def _openapi_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(OPENAPI.read_text(encoding="utf-8"))
    return document


def _database_url() -> str:
    return cast(str, current_app.config["SETTINGS"].database_url)


def _error(code: str, message: str, status: int) -> tuple[Response, int]:
    return jsonify(error=code, message=message), status


def _not_found(service_id: str | None = None) -> tuple[Response, int]:
    if service_id is None:
        return _error("not_found", "There is nothing at this address. The services are at /api/services.", 404)
    return _error("not_found", f"We could not find a service with the id '{service_id[:100]}'. It may have been "
                               "removed or renamed; search /api/services to find current services.", 404)


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}; it was '{raw[:20]}'.")
    return int(raw)


def _build_query(vocabulary: Any) -> ServiceQuery:
    """Explicit filters first; free `text` fills in what they leave open, as the assistant reads a message."""
    text = request.args.get("text", "").strip()
    if len(text) > MAX_TEXT:
        raise BadRequest(f"'text' must be at most {MAX_TEXT} characters.")
    parsed = vocabulary.parse(text) if text else None
    categories = [_term_code(vocabulary, "category", value) for value in request.args.getlist("category") if value]
    needs = [_term_code(vocabulary, "need", value) for value in request.args.getlist("need") if value]
    for value in request.args.getlist("taxonomy_term_id"):
        if value:
            taxonomy, code = _term_id(vocabulary, value)
            (categories if taxonomy == "category" else needs).append(code)
    district, quadrant = _area(vocabulary, request.args.get("district", "").strip())
    age = _int_param("age", -1, 0, 120)
    if parsed:
        categories += [c for c in parsed.categories if c not in categories]
        needs += [n for n in parsed.needs if n not in needs]
        if not (district or quadrant):
            district, quadrant = parsed.district, parsed.quadrant
        if age < 0 and parsed.age is not None:
            age = parsed.age
    return ServiceQuery(
        categories=tuple(dict.fromkeys(categories)), needs=tuple(dict.fromkeys(needs)), district=district,
        quadrant=None if district else quadrant, age=None if age < 0 else age,
        words=tuple(parsed.words) if parsed else (),
    )


def _term_code(vocabulary: Vocabulary, taxonomy: str, value: str) -> str:
    value = value.strip()
    code = value.split(":", 1)[1] if value.startswith(f"{taxonomy}:") else value
    if f"{taxonomy}:{code}" in vocabulary.term_names:
        return code
    for term_id, name in vocabulary.term_names.items():
        if term_id.startswith(f"{taxonomy}:") and name.lower() == value.lower():
            return term_id.split(":", 1)[1]
    known = sorted(t.split(":", 1)[1] for t in vocabulary.term_names if t.startswith(f"{taxonomy}:"))
    raise BadRequest(f"We do not know the {taxonomy} '{value[:60]}'. Use one of: {', '.join(known)}.")


def _term_id(vocabulary: Any, value: str) -> tuple[str, str]:
    value = value.strip()
    if value in vocabulary.term_names:
        taxonomy, code = value.split(":", 1)
        return taxonomy, code
    for taxonomy in ("category", "need"):
        if f"{taxonomy}:{value}" in vocabulary.term_names:
            return taxonomy, value
    raise BadRequest(f"We do not know the taxonomy term '{value[:60]}'. Use an id like 'category:autism' or "
                     "'need:adhd' (the taxonomy_terms of any service show them).")


def _area(vocabulary: Any, value: str) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    if value in vocabulary.district_names:
        return value, None
    if value in QUADRANT_LABELS:
        return None, value
    district, quadrant = vocabulary.resolve_area(value)
    if district or quadrant:
        return district, None if district else quadrant
    raise BadRequest(f"We do not know the district '{value[:60]}'. Use a district code ("
                     f"{', '.join(sorted(vocabulary.district_names))}), a district or town name, or a quadrant "
                     f"({', '.join(QUADRANT_LABELS)}).")
