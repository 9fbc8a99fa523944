"""secret attempts keyed by a keyed hash of the typed code instead of the case id

Revision ID: 0010
Revises: 0009

The rows only ever count the last day's wrong tries, so the table is recreated rather than converted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _create(code_column: sa.Column, *extra: sa.SchemaItem) -> None:
    op.create_table(
        'secret_attempt',
        sa.Column('id', sa.String(), nullable=False),
        code_column,
        sa.Column('handle', sa.String(length=64), nullable=False),
        sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
        *extra,
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_secret_attempt_at', 'secret_attempt', ['at'])
    op.create_index('ix_secret_attempt_handle', 'secret_attempt', ['handle'])
    op.create_index(f'ix_secret_attempt_{code_column.name}', 'secret_attempt', [code_column.name])


def upgrade() -> None:
    op.drop_table('secret_attempt')
    _create(sa.Column('code_key', sa.String(length=64), nullable=False))


def downgrade() -> None:
    op.drop_table('secret_attempt')
    _create(sa.Column('case_id', sa.String(), nullable=True), sa.ForeignKeyConstraint(['case_id'], ['report_case.id']))
