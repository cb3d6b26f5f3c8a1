"""The migrations have one head and build the schema the models describe, on an empty database."""
from __future__ import annotations

from sqlalchemy import inspect

from bot.db import migrate
from bot.db.models import Base
from bot.db.session import get_engine


def test_there_is_one_head() -> None:
    assert len(migrate.heads()) == 1


# Columns a migration adds on purpose outside the models: PostgreSQL's generated tsvector (0005), which the
# ORM never writes or reads as a column.
MIGRATION_ONLY_COLUMNS = {("service", "search_vector")}


def test_migrations_create_every_model_table_with_its_columns(database_url: str) -> None:
    """Table names alone would pass with a column the models use but no migration adds (the app then fails
    on the first query in production), so every table's columns are compared both ways."""
    inspector = inspect(get_engine(database_url))
    assert set(Base.metadata.tables) <= set(inspector.get_table_names())
    for name, table in Base.metadata.tables.items():
        migrated = {c["name"] for c in inspector.get_columns(name)} - {col for tab, col in MIGRATION_ONLY_COLUMNS
                                                                        if tab == name}
        modelled = set(table.columns.keys())
        assert modelled == migrated, (f"{name}: in the models only {sorted(modelled - migrated)}, "
                                      f"in the migrations only {sorted(migrated - modelled)}")


def test_downgrade_to_empty_and_back(database_url: str) -> None:
    migrate.downgrade(database_url, "base")
    assert "service" not in inspect(get_engine(database_url)).get_table_names()
    migrate.upgrade(database_url)
    assert "service" in inspect(get_engine(database_url)).get_table_names()


def test_0003_adds_the_staff_console_tables(database_url: str) -> None:
    inspector = inspect(get_engine(database_url))
    columns = {table: {c["name"] for c in inspector.get_columns(table)}
               for table in ("staff_user", "audit_event", "guidance_change", "handoff_request")}
    assert {"username", "password_hash", "role", "active", "failed_attempts", "locked_until", "created_at",
            "last_sign_in_at"} <= columns["staff_user"]
    assert {"at", "actor", "action", "target", "detail"} <= columns["audit_event"]
    assert {"topic", "changed_at", "changed_by", "field", "before", "after"} <= columns["guidance_change"]
    assert {"taken_by", "taken_at", "done_at"} <= columns["handoff_request"]
    unique = [set(u["column_names"]) for u in inspector.get_unique_constraints("staff_user")]
    unique += [set(i["column_names"]) for i in inspector.get_indexes("staff_user") if i.get("unique")]
    assert {"username"} in unique


def test_0003_downgrades_to_0002_and_back(database_url: str) -> None:
    migrate.downgrade(database_url, "0002")
    inspector = inspect(get_engine(database_url))
    assert "staff_user" not in inspector.get_table_names()
    assert "taken_at" not in {c["name"] for c in inspector.get_columns("handoff_request")}
    migrate.upgrade(database_url)
    assert "staff_user" in inspect(get_engine(database_url)).get_table_names()


def test_0012_adds_the_familys_area_to_handoff_requests_and_downgrades(database_url: str) -> None:
    def columns() -> set[str]:
        return {c["name"] for c in inspect(get_engine(database_url)).get_columns("handoff_request")}

    assert {"area", "quadrant"} <= columns()
    migrate.downgrade(database_url, "0011")
    assert not {"area", "quadrant"} & columns()
    assert "flag_reason" in columns()  # the table itself survives SQLite's copy-and-move
    migrate.upgrade(database_url)
    assert {"area", "quadrant"} <= columns()


def test_0013_adds_the_answer_model_table_and_downgrades(database_url: str) -> None:
    def tables() -> set[str]:
        return set(inspect(get_engine(database_url)).get_table_names())

    assert "answer_model" in tables()
    columns = {c["name"] for c in inspect(get_engine(database_url)).get_columns("answer_model")}
    assert {"labels", "label_versions", "weights", "bias", "answers", "vector_model", "fitted_at"} <= columns
    migrate.downgrade(database_url, "0012")
    assert "answer_model" not in tables() and "answer" in tables()
    migrate.upgrade(database_url)
    assert "answer_model" in tables()
