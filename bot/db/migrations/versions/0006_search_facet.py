"""A search facet table in result order (bot/db/queries/facets.py says what each column means).

Why: at 100k services a search for a category in a district or quadrant scored every matching service (1-3
thousand) to return three, 10-30 ms on the bench (bench/search.md). Rows here are kept in the order a family
sees results, so both databases read one index range and stop after the page. Filled here from what is
already stored; the loader and the importer keep it current from then on.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_facet",
        sa.Column("service_id", sa.String(100), nullable=False),
        sa.Column("term_id", sa.String(100), nullable=False),
        sa.Column("place", sa.String(60), nullable=False),
        sa.Column("distance", sa.SmallInteger(), nullable=False),
        sa.Column("is_example", sa.Boolean()),
        sa.Column("name", sa.String(255)),
        sa.Column("minimum_age", sa.Integer()),
        sa.Column("maximum_age", sa.Integer()),
        sa.PrimaryKeyConstraint("service_id", "term_id", "place"),
    )
    # Result order first, then the age columns so the age filter is read from the index too.
    op.create_index("ix_search_facet_order", "search_facet",
                    ["term_id", "place", "distance", "is_example", "name", "service_id", "minimum_age", "maximum_age"])
    from bot.db.queries.facets import refresh_search_facets

    refresh_search_facets(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_search_facet_order", table_name="search_facet")
    op.drop_table("search_facet")
