"""loss reasons, and the one a downtime counts under

Revision ID: 3e7a1c9d4b52
Revises: 8c2fd527a5b6
Create Date: 2026-12-02 01:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '3e7a1c9d4b52'
down_revision: str | Sequence[str] | None = '8c2fd527a5b6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The list a plant starts with, as the pauses recorded before this revision name them.
SEED = [
    ("breakdown", "Breakdown", "The machine failed and waits for maintenance."),
    ("material", "Material", "Material or components missing at the work center."),
    ("setup", "Setup", "Changeover, tooling or adjustment."),
    ("quality", "Quality", "Stopped to sort out a quality problem."),
    ("break", "Break", "The operators' scheduled or unscheduled break."),
    ("other", "Other", "Any other reason; say which in the note."),
]


def upgrade() -> None:
    table = op.create_table('loss_reasons',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_loss_reasons'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(table, [
        {"code": code, "name": name, "description": description, "active": True, "version": 1,
         "created_at": now, "updated_at": now}
        for code, name, description in SEED
    ])
    with op.batch_alter_table('downtimes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('loss_reason', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('downtimes', schema=None) as batch_op:
        batch_op.drop_column('loss_reason')
    op.drop_table('loss_reasons')
