"""Staff console: users who may sign in, the audit log, guidance change history, and when a handoff
request was taken and finished.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime()),
        sa.Column("created_at", sa.DateTime()),
        sa.Column("last_sign_in_at", sa.DateTime()),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False, index=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(60), nullable=False, index=True),
        sa.Column("target", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_table(
        "guidance_change",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("topic", sa.String(60), index=True),
        sa.Column("changed_at", sa.DateTime()),
        sa.Column("changed_by", sa.String(100)),
        sa.Column("field", sa.String(60)),
        sa.Column("before", sa.Text()),
        sa.Column("after", sa.Text()),
    )
    # Batch mode so the downgrade's DROP COLUMN also works on SQLite (it rebuilds the table there).
    with op.batch_alter_table("handoff_request") as batch:
        batch.add_column(sa.Column("taken_at", sa.DateTime()))
        batch.add_column(sa.Column("done_at", sa.DateTime()))


def downgrade() -> None:
    with op.batch_alter_table("handoff_request") as batch:
        batch.drop_column("done_at")
        batch.drop_column("taken_at")
    op.drop_table("guidance_change")
    op.drop_table("audit_event")
    op.drop_table("staff_user")
