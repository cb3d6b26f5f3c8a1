"""Create the Local Offer directory (Open Referral UK shape) and guidance articles.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organization",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("url", sa.String(500)),
        sa.Column("email", sa.String(255)),
    )
    op.create_table(
        "service",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("organization_id", sa.String(100), sa.ForeignKey("organization.id"), nullable=False, index=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="active", index=True),
        sa.Column("minimum_age", sa.Integer()),
        sa.Column("maximum_age", sa.Integer()),
        sa.Column("url", sa.String(500)),
        sa.Column("email", sa.String(255)),
        sa.Column("eligibility", sa.Text(), nullable=False, server_default=""),
        sa.Column("referral", sa.Text(), nullable=False, server_default=""),
        sa.Column("assured_date", sa.Date()),
        sa.Column("is_example", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, server_default=""),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
    )
    op.create_table(
        "address",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("location_id", sa.String(120), sa.ForeignKey("location.id"), nullable=False, index=True),
        sa.Column("address_1", sa.String(255), nullable=False, server_default=""),
        sa.Column("city", sa.String(100), nullable=False, server_default=""),
        sa.Column("state_province", sa.String(100), nullable=False, server_default="Essex"),
        sa.Column("postal_code", sa.String(20), nullable=False, server_default=""),
        sa.Column("country", sa.String(2), nullable=False, server_default="GB"),
    )
    op.create_table(
        "service_at_location",
        sa.Column("id", sa.String(240), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("location_id", sa.String(120), sa.ForeignKey("location.id"), nullable=False, index=True),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("name", sa.String(255), nullable=False, server_default=""),
        sa.Column("email", sa.String(255)),
    )
    op.create_table(
        "phone",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("description", sa.String(255), nullable=False, server_default=""),
    )
    op.create_table(
        "schedule",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("byday", sa.String(40), nullable=False, server_default=""),
        sa.Column("opens_at", sa.String(5)),
        sa.Column("closes_at", sa.String(5)),
        sa.Column("description", sa.String(255), nullable=False, server_default=""),
    )
    op.create_table(
        "cost_option",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("option", sa.String(255), nullable=False, server_default=""),
        sa.Column("amount", sa.Numeric(10, 2)),
        sa.Column("currency", sa.String(3), nullable=False, server_default="GBP"),
    )
    op.create_table(
        "district",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("quadrant", sa.String(20), nullable=False, index=True),
    )
    op.create_table(
        "place",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("district_code", sa.String(40), sa.ForeignKey("district.code"), nullable=False, index=True),
    )
    op.create_table(
        "service_area",
        sa.Column("id", sa.String(160), primary_key=True),
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), nullable=False, index=True),
        sa.Column("district_code", sa.String(40), sa.ForeignKey("district.code"), nullable=False, index=True),
        sa.Column("quadrant", sa.String(20), nullable=False, index=True),
        sa.Column("extent", sa.String(10), nullable=False),
        sa.Column("service_area", sa.String(100), nullable=False, server_default=""),
        sa.UniqueConstraint("service_id", "district_code"),
    )
    op.create_table(
        "taxonomy",
        sa.Column("id", sa.String(60), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    op.create_table(
        "taxonomy_term",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("taxonomy_id", sa.String(60), sa.ForeignKey("taxonomy.id"), nullable=False, index=True),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
    )
    op.create_table(
        "service_taxonomy",
        sa.Column("service_id", sa.String(100), sa.ForeignKey("service.id"), primary_key=True),
        sa.Column("taxonomy_term_id", sa.String(100), sa.ForeignKey("taxonomy_term.id"), primary_key=True, index=True),
    )
    op.create_table(
        "outside_area",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("local_offer", sa.String(200), nullable=False, server_default=""),
        sa.Column("url", sa.String(500), nullable=False, server_default=""),
    )
    op.create_table(
        "guidance_article",
        sa.Column("topic", sa.String(60), primary_key=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("timescales", sa.JSON(), nullable=False),
        sa.Column("who_can_help", sa.JSON(), nullable=False),
        sa.Column("if_it_goes_wrong", sa.JSON(), nullable=False),
        sa.Column("source_url", sa.String(500), nullable=False),
        sa.Column("local_offer_url", sa.String(500), nullable=False),
        sa.Column("last_checked", sa.Date(), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime()),
    )
    _create_full_text_index()


def _create_full_text_index() -> None:
    """Full text over service.search_text: FTS5 on SQLite, a GIN expression index on PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE service_fts USING fts5(service_id UNINDEXED, search_text)")
    elif dialect == "postgresql":
        op.execute(
            "CREATE INDEX ix_service_search_text_fts ON service "
            "USING gin (to_tsvector('english', search_text))"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE service_fts")
    for table in (
        "guidance_article", "outside_area", "service_taxonomy", "taxonomy_term", "taxonomy", "service_area",
        "place", "district", "cost_option", "schedule", "phone", "contact", "service_at_location", "address",
        "location", "service", "organization",
    ):
        op.drop_table(table)
