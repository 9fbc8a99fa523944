"""collaborators: the communes' cộng tác viên and their platform accounts (keyed handles, sealed chats)

Revision ID: 0015_collaborators
Revises: 0014_reports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_collaborators"
down_revision = "0014_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "collaborator",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit_code", sa.String(length=5), nullable=False),
        sa.Column("village", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_code"], ["unit.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("collaborator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collaborator_unit_code"), ["unit_code"], unique=False)
    op.create_table(
        "collaborator_identity",
        sa.Column("handle", sa.String(length=64), nullable=False),
        sa.Column("collaborator_id", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("address_ct", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["collaborator_id"], ["collaborator.id"]),
        sa.PrimaryKeyConstraint("handle"),
    )
    with op.batch_alter_table("collaborator_identity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collaborator_identity_collaborator_id"), ["collaborator_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("collaborator_identity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collaborator_identity_collaborator_id"))
    op.drop_table("collaborator_identity")
    with op.batch_alter_table("collaborator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collaborator_unit_code"))
    op.drop_table("collaborator")
