"""report texts: the written sections of a unit's periodic report (sealed), the reminders sent per due date, and
where a reported case happened (the adult reporter's optional answer)

Revision ID: 0016_report_texts
Revises: 0015_collaborators
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0016_report_texts"
down_revision = "0015_collaborators"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_text",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("unit_code", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("body_ct", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"]),
        sa.ForeignKeyConstraint(["updated_by"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_code", "period", name="uq_report_text_unit_period"),
    )
    op.create_table(
        "report_reminder",
        sa.Column("unit_code", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("sent_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("unit_code", "period", "due_on"),
    )
    with op.batch_alter_table("report_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("setting", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_case", schema=None) as batch_op:
        batch_op.drop_column("setting")
    op.drop_table("report_reminder")
    op.drop_table("report_text")
