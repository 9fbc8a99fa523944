"""outbox person: a message to a person's chat waits behind that chat's earlier ones

Revision ID: 0009
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_person'), ['person'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_person'))
        batch_op.drop_column('person')
