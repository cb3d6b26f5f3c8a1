"""Shared fixtures: a real, migrated database (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set)
loaded with the real Local Offer content."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import text

from bot.config import ROOT, get_settings
from bot.db import migrate
from bot.db.session import dispose_engines, get_engine, session_scope
from bot.loader import load_content
from bot.vocabulary import clear_vocabulary_cache

CONTENT = ROOT / "data" / "local_offer"


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


@pytest.fixture(scope="module")
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated, empty database, set as DATABASE_URL for code that reads the settings."""
    tmp_root = tmp_path_factory.mktemp("db")
    url = f"sqlite:///{tmp_root / 'test.db'}" if request.param == "sqlite" else os.environ["TEST_DATABASE_URL"]
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
