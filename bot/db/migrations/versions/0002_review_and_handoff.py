"""Record what the assistant could not answer, families' feedback, and handoff requests.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_question",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("sender_hash", sa.String(64), nullable=False, index=True),
        sa.Column("text_redacted", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False, index=True),
        sa.Column("intent", sa.String(60)),
        sa.Column("confidence", sa.Float()),
        sa.Column("ranking", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(60)),
        sa.Column("status", sa.String(20), nullable=False, server_default="new", index=True),
        sa.Column("assigned_intent", sa.String(60)),
        sa.Column("handled_by", sa.String(100)),
        sa.Column("handled_at", sa.DateTime()),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("sender_hash", sa.String(64), nullable=False),
        sa.Column("topic", sa.String(60)),
        sa.Column("helpful", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "handoff_request",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("topic", sa.String(60)),
        sa.Column("kind", sa.String(10), nullable=False),  # contact (in hours) | callback (out of hours)
        sa.Column("first_name", sa.String(100)),
        sa.Column("contact", sa.String(255)),
        sa.Column("consent", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("consent_text", sa.Text()),
        sa.Column("transcript_redacted", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="new", index=True),
        sa.Column("taken_by", sa.String(100)),
        sa.Column("updated_at", sa.DateTime()),
    )


def downgrade() -> None:
    op.drop_table("handoff_request")
    op.drop_table("feedback")
    op.drop_table("unanswered_question")
