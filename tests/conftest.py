"""Shared fixtures: a real, migrated database (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set)
loaded with the real Local Offer content."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import ROOT, get_settings
from bot.content.loader import load_content
from bot.db import migrate
from bot.db.session import dispose_engines, get_engine, session_scope
from bot.directory.vocabulary import clear_vocabulary_cache

CONTENT = ROOT / "data" / "local_offer"
TESTS = Path(__file__).resolve().parent

# Test tiers (pytest.ini). Why: a tier that needs something outside the repository (a browser, the trained
# model, Redis) skips when that is missing, which is kind on a laptop but let CI pass with no accessibility
# check at all. REQUIRE_TIERS (make test and .ci/run set it) names the tiers that must really run there: a
# skipped test in them fails, a module skipped at import fails, and a named tier with no test fails.
TIERS = ("unit", "db", "browser", "model", "redis", "scale", "hostile")
DIRECTORY_TIERS = {"hostile": "hostile", "scale": "scale"}  # every test under tests/<folder>/
DESCRIPTIVE_TIERS = {"unit", "db"}  # need nothing missing-able: never the reason a test may skip


def required_tiers() -> set[str]:
    named = {tier.strip() for tier in os.environ.get("REQUIRE_TIERS", "").split(",") if tier.strip()}
    unknown = named - set(TIERS)
    if unknown:
        raise pytest.UsageError(f"REQUIRE_TIERS names unknown tiers {sorted(unknown)}; the tiers are {', '.join(TIERS)}")
    return named


def item_tiers(item: pytest.Item) -> set[str]:
    return {mark.name for mark in item.iter_markers() if mark.name in TIERS}


def must_run(tiers: set[str], required: set[str]) -> bool:
    """A test must run when a required tier is among its tiers and every other tier it needs is required too
    (a browser test of the hostile suite may skip in `make test`, which does not start that suite)."""
    return bool(tiers & required) and not (tiers - required - DESCRIPTIVE_TIERS)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects, so `-m unit` and `-m db` see these markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            folder = item.path.resolve().relative_to(TESTS).parts[0]
        except ValueError:
            folder = ""
        if folder in DIRECTORY_TIERS:
            item.add_marker(DIRECTORY_TIERS[folder])
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker("db")
        if not item_tiers(item):
            item.add_marker("unit")


def pytest_collection_finish(session: pytest.Session) -> None:
    required = required_tiers()
    if not required or not session.items:
        return
    collected = set().union(*(item_tiers(item) for item in session.items))
    missing = sorted(required - collected)
    if missing:
        raise pytest.UsageError(f"REQUIRE_TIERS names {', '.join(missing)}, but no test of that tier was collected "
                                "(a whole module skipped at import, or deselected?)")


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    required = required_tiers()
    if report.skipped and required and isinstance(collector, pytest.Module):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"{collector.path.name} was skipped as a whole at import ({reason}) while "
                           f"REQUIRE_TIERS={','.join(sorted(required))}: skip inside the tests, under a tier "
                           "marker, so the tier rule can see it")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    required, tiers = required_tiers(), item_tiers(item)
    if must_run(tiers, required):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"skipped, but REQUIRE_TIERS={','.join(sorted(required))} requires the "
                           f"{', '.join(sorted(tiers & required))} tier to run: {reason}")


def _reset(url: str) -> None:
    """An empty database: PostgreSQL's public schema is dropped and made again; SQLite files start new."""
    if url.startswith("postgresql"):
        with get_engine(url).begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    dispose_engines()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames:
        backends = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
        metafunc.parametrize("database_url", backends, indirect=True, scope="module")


def worker_database(url: str) -> str:
    """The PostgreSQL database this pytest-xdist worker owns, made beside TEST_DATABASE_URL's ("test_gw0").

    Why: every module's fixture drops the public schema and makes it again, which would pull the tables from
    under a module running on the other worker. Without workers (or on SQLite, one file per module) it is `url`."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).scalar():
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated, empty database, set as DATABASE_URL for code that reads the settings."""
    tmp_root = tmp_path_factory.mktemp("db")
    url = (f"sqlite:///{tmp_root / 'test.db'}" if request.param == "sqlite"
           else worker_database(os.environ["TEST_DATABASE_URL"]))
    _reset(url)
    migrate.upgrade(url)
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    clear_vocabulary_cache()
    yield url
    dispose_engines()
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous
    get_settings.cache_clear()
    clear_vocabulary_cache()


@pytest.fixture(scope="module")
def loaded_db(database_url: str) -> str:
    """The database with the real content from data/local_offer loaded."""
    load_content(CONTENT, database_url)
    clear_vocabulary_cache()
    return database_url


@pytest.fixture
def session(loaded_db: str):
    with session_scope(loaded_db) as session:
        yield session


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A copy of the content folder a test may break on purpose."""
    target = tmp_path / "local_offer"
    shutil.copytree(CONTENT, target)
    return target
