"""Where each service came from, a stored search vector on PostgreSQL, and an index in ranking order.

Why `source`: `python -m bot load` replaces the YAML seed content, and it must not delete the services a
council imported with `import-oruk` (issue #6). 'content' rows belong to the loader, 'oruk' rows to the
importer; existing rows were all written by the loader or an import before this column, and are marked
'content' (a council re-imports its feed once to mark its services 'oruk').

Why `search_vector` (PostgreSQL only): the GIN index was on the expression to_tsvector(search_text), so
ranking recomputed the vector for every matching row (2 s p95 at 100k services, bench/search.md). A
GENERATED ALWAYS column is kept current by PostgreSQL itself on every insert and update, from the loader
and the importer alike. SQLite keeps its FTS5 table.

Why `ix_service_rank_order`: when every candidate gets the same score from the family's terms, results are
ordered by (is_example, name, id); walking this index in that order lets a search stop after one page.
Why `ix_service_filter`: a term or area match is checked against status and age, and scored, per candidate;
with these columns beside the id, both databases do that from the index without reading the table row.
`ix_service_area_service_quadrant` does the same for "does it serve this quadrant, and locally?".

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("service", sa.Column("source", sa.String(10), nullable=False, server_default="content"))
    op.create_index("ix_service_source", "service", ["source"])
    op.create_index("ix_service_rank_order", "service",
                    ["status", "is_example", "name", "id", "minimum_age", "maximum_age"])
    op.create_index("ix_service_filter", "service",
                    ["id", "status", "minimum_age", "maximum_age", "is_example", "name"])
    op.create_index("ix_service_area_service_quadrant", "service_area", ["service_id", "quadrant", "extent"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE service ADD COLUMN search_vector tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', coalesce(search_text, ''))) STORED")
        op.execute("CREATE INDEX ix_service_search_vector ON service USING gin (search_vector)")
        op.execute("DROP INDEX IF EXISTS ix_service_search_text_fts")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_service_search_text_fts ON service USING gin (to_tsvector('english', search_text))")
        op.execute("DROP INDEX ix_service_search_vector")
        op.execute("ALTER TABLE service DROP COLUMN search_vector")
    op.drop_index("ix_service_area_service_quadrant", table_name="service_area")
    op.drop_index("ix_service_filter", table_name="service")
    op.drop_index("ix_service_rank_order", table_name="service")
    op.drop_index("ix_service_source", table_name="service")
    op.drop_column("service", "source")
