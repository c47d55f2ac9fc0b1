"""released orders short of components wait for a receipt to retry them

Revision ID: c4e8a1f6b203
Revises: 5b0e7c2a9d13
Create Date: 2026-12-01 19:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = 'c4e8a1f6b203'
down_revision: str | Sequence[str] | None = '5b0e7c2a9d13'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('waiting_reservations',
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('warehouse', sa.String(length=32), nullable=True),
    sa.Column('components', sa.JSON(), nullable=False),
    sa.Column('created_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_waiting_reservations'))
    )


def downgrade() -> None:
    op.drop_table('waiting_reservations')
