"""reports: what the officer records at assessment (finding, children, special circumstances, same child),
for the figures a province reports

Revision ID: 0014_reports
Revises: 0013_ops
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_reports"
down_revision = "0013_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("finding", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("children", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("special", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("same_child_of", sa.String(), nullable=True))
        batch_op.create_foreign_key("fk_report_case_same_child_of", "report_case", ["same_child_of"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("report_case", schema=None) as batch_op:
        batch_op.drop_constraint("fk_report_case_same_child_of", type_="foreignkey")
        batch_op.drop_column("same_child_of")
        batch_op.drop_column("special")
        batch_op.drop_column("children")
        batch_op.drop_column("finding")
