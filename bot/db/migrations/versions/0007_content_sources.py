"""Each guidance section and each listing says where its facts come from, and whether it needs a re-read.

Why: "Last checked 23 November 2026" was shown for facts taken from undated or pre-2022 pages (issue #13).
Now every guidance section carries its sources ({url, page_date, checked}) and a `verify` note when none of
them is dated from 2022 on or is primary law; families are shown no "last checked" date for those sections,
and officers see them first on the freshness page. Services get the same fields. Existing rows get empty
values; the next `python -m bot load` fills them from data/local_offer.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("guidance_article", sa.Column("sources", sa.JSON()))
    op.add_column("guidance_article", sa.Column("verify", sa.JSON()))
    op.add_column("service", sa.Column("sources", sa.JSON()))
    op.add_column("service", sa.Column("needs_verify", sa.Boolean(), server_default=sa.false()))
    op.add_column("service", sa.Column("verify_note", sa.Text()))


def downgrade() -> None:
    for column in ("verify_note", "needs_verify", "sources"):
        op.drop_column("service", column)
    for column in ("verify", "sources"):
        op.drop_column("guidance_article", column)
