"""Safeguarding flags say why: the tier's reason (a pattern group such as 'suicide_self_harm', 'distress',
or the classifier's score), so helpline staff can triage the queue at a glance (issue #14).

Immediate-risk flags keep kind 'flag'; possible concerns are the new kind 'concern' (no schema change:
`kind` is a string). Existing rows get no reason.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("handoff_request", sa.Column("flag_reason", sa.String(80)))


def downgrade() -> None:
    op.drop_column("handoff_request", "flag_reason")
