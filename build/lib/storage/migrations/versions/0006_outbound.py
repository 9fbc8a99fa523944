"""outbound limits: followed chat migrations, coalesced alert digests

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'chat_migration',
        sa.Column('old_chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('new_chat_id', sa.BigInteger(), nullable=False),
        sa.Column('migrated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('old_chat_id'),
    )
    op.create_table(
        'outbox_digest',
        sa.Column('row_id', sa.String(length=32), nullable=False),
        sa.Column('digest_id', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('row_id'),
    )
    with op.batch_alter_table('outbox_digest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_digest_digest_id'), ['digest_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox_digest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_digest_digest_id'))
    op.drop_table('outbox_digest')
    op.drop_table('chat_migration')
