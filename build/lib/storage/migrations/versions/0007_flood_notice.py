"""flood notices: one warning per scope and window, claimed by inserting its row

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'flood_notice',
        sa.Column('scope', sa.String(length=32), nullable=False),
        sa.Column('window_start', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('case_id', sa.String(), nullable=True),
        sa.Column('outbox_id', sa.String(length=32), nullable=True),
        sa.Column('held', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['report_case.id'], ),
        sa.PrimaryKeyConstraint('scope', 'window_start'),
    )


def downgrade() -> None:
    op.drop_table('flood_notice')
