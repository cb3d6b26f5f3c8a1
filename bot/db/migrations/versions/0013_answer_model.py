"""The answer bank's learned "which answer is this?" term: one row holding a softmax regression from sentence
vectors to answer ids, fitted when content is loaded or an officer edits an answer (issue #16).

Why a table: every process (chat actions, console, evaluation) must score with the same model, and the fit
(seconds) must never run while a family waits. Existing databases get an empty table: the term stays off until
the next `python -m bot load` or answer edit fits it.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_model",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("label_versions", sa.JSON(), nullable=False),
        sa.Column("weights", sa.LargeBinary(), nullable=False),
        sa.Column("bias", sa.LargeBinary(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("vector_model", sa.String(100), nullable=False),
        sa.Column("fit_seconds", sa.Float(), nullable=False, server_default="0"),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("answer_model")
