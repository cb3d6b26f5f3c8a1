"""The migrations have one head and build the schema the models describe, on an empty database."""
from __future__ import annotations

from sqlalchemy import inspect

from bot.db import migrate
from bot.db.models import Base
from bot.db.session import get_engine


def test_there_is_one_head() -> None:
    assert len(migrate.heads()) == 1


def test_migrations_create_every_model_table(database_url: str) -> None:
    tables = set(inspect(get_engine(database_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_downgrade_to_empty_and_back(database_url: str) -> None:
    migrate.downgrade(database_url, "base")
    assert "service" not in inspect(get_engine(database_url)).get_table_names()
    migrate.upgrade(database_url)
    assert "service" in inspect(get_engine(database_url)).get_table_names()
