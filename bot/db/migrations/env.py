"""Alembic environment: migrations run against DATABASE_URL (or the URL a caller passes in)."""
from __future__ import annotations

from alembic import context

from bot.db.models import Base
from bot.db.session import get_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or None


def run_migrations_offline() -> None:
    context.configure(url=url or str(get_engine().url), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with get_engine(url).connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
