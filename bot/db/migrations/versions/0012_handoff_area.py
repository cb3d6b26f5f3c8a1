"""Handoff and callback requests keep where the family lives: the place they named (a district such as
'Colchester', a quadrant, or a council outside Essex) and the Essex quadrant it is in, so the helpline can
route a callback to the right SEND Operations team without reading the transcript (issue #17).

Existing rows get neither (shown as "Not given" in the queue).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite adds and drops columns by copying the table (PostgreSQL alters it directly).
    with op.batch_alter_table("handoff_request") as batch:
        batch.add_column(sa.Column("area", sa.String(80)))
        batch.add_column(sa.Column("quadrant", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.drop_column("quadrant")
        batch.drop_column("area")
