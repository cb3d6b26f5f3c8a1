"""A question the assistant did not understand keeps the topic the family then picked from "Did you mean"
(issue #15): a labelled example suggested by the family, for an officer to confirm before it is training data.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("unanswered_question", sa.Column("family_choice", sa.String(60)))


def downgrade() -> None:
    op.drop_column("unanswered_question", "family_choice")
