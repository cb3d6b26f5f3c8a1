"""An unanswered question loaded from the spool keeps the spool's key for it, unique, so loading the spool
again after a crash (or by a second action-server replica) never puts the same question in the inbox twice
(issue #18).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a unique constraint with ALTER TABLE (PostgreSQL does it directly).
    with op.batch_alter_table("unanswered_question") as batch:
        batch.add_column(sa.Column("spool_key", sa.String(64)))
        batch.create_unique_constraint("uq_unanswered_question_spool_key", ["spool_key"])


def downgrade() -> None:
    with op.batch_alter_table("unanswered_question") as batch:
        batch.drop_constraint("uq_unanswered_question_spool_key", type_="unique")
        batch.drop_column("spool_key")
