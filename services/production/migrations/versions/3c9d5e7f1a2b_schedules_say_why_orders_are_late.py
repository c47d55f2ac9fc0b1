"""schedules say why orders are late

Revision ID: 3c9d5e7f1a2b
Revises: 7a41c9e2d8f5
Create Date: 2026-12-01 19:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3c9d5e7f1a2b'
down_revision: str | Sequence[str] | None = '7a41c9e2d8f5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('schedules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late_orders', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('schedules', schema=None) as batch_op:
        batch_op.drop_column('late_orders')
