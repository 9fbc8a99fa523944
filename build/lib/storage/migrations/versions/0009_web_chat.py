"""public web chat: visits and their sealed notes; a count of messages a channel would not let us read

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'web_visit',
        sa.Column('handle', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.String(length=32), nullable=False),
        sa.Column('form_token', sa.String(length=64), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('expires_at', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('handle'),
    )
    op.create_index('ix_web_visit_expires_at', 'web_visit', ['expires_at'])
    op.create_table(
        'web_note',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('handle', sa.String(length=64), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('seen', sa.Boolean(), nullable=False),
        sa.Column('message_ct', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['handle'], ['web_visit.handle'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_web_note_handle', 'web_note', ['handle'])
    op.create_table(
        'unread_count',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'channel'),
    )


def downgrade() -> None:
    op.drop_table('unread_count')
    op.drop_index('ix_web_note_handle', 'web_note')
    op.drop_table('web_note')
    op.drop_index('ix_web_visit_expires_at', 'web_visit')
    op.drop_table('web_visit')
