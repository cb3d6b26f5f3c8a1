"""The answer bank: short answers to the questions families ask, each with the wordings it is found by and
their sentence vectors (issue #16).

Why the vectors are stored: they are computed when an answer is loaded or edited, never while a family
waits, so retrieval is a dot product over rows already in memory. Existing databases get empty tables;
the next `python -m bot load` fills them from data/local_offer/answers/.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answer_topic",
        sa.Column("topic", sa.String(60), primary_key=True),
        sa.Column("title", sa.String(255), nullable=False, server_default=""),
    )
    op.create_table(
        "answer",
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("topic", sa.String(60), sa.ForeignKey("answer_topic.topic"), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("verify", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("verify_note", sa.Text(), nullable=False, server_default=""),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("vectors", sa.LargeBinary()),
        sa.Column("vector_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("vector_model", sa.String(100)),
        sa.Column("search_text", sa.Text(), nullable=False, server_default=""),
        sa.Column("source", sa.String(20), nullable=False, server_default="content"),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False, server_default=""),
    )
    op.create_index("ix_answer_topic", "answer", ["topic"])
    op.create_index("ix_answer_source", "answer", ["source"])
    op.create_index("ix_answer_updated_at", "answer", ["updated_at"])


def downgrade() -> None:
    op.drop_table("answer")
    op.drop_table("answer_topic")
