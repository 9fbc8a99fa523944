"""ops: when the watchdog last told the administrators of each condition (at most once an hour, across workers)

Revision ID: 0013_ops
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0013_ops"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchdog_alert",
        sa.Column("condition", sa.String(length=32), nullable=False),
        sa.Column("alerted_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("condition"),
    )


def downgrade() -> None:
    op.drop_table("watchdog_alert")
