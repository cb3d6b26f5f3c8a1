"""Covering indexes for directory search at county scale (bench/search.md has the before and after).

Why: search starts from the services tagged with a term and from those serving a district or quadrant. With
(term, service) and (district, service, extent) in one index, both databases answer those from the index
alone instead of visiting a table row per match.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_service_taxonomy_term_service", "service_taxonomy", ["taxonomy_term_id", "service_id"])
    op.create_index("ix_service_area_district_service", "service_area", ["district_code", "service_id", "extent"])
    op.create_index("ix_service_area_quadrant_service", "service_area", ["quadrant", "service_id"])


def downgrade() -> None:
    op.drop_index("ix_service_area_quadrant_service", table_name="service_area")
    op.drop_index("ix_service_area_district_service", table_name="service_area")
    op.drop_index("ix_service_taxonomy_term_service", table_name="service_taxonomy")
