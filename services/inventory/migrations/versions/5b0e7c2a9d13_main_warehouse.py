"""the main warehouse exists from the start

Revision ID: 5b0e7c2a9d13
Revises: 39012f0f0643
Create Date: 2026-11-27 20:45:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '5b0e7c2a9d13'
down_revision: str | Sequence[str] | None = '39012f0f0643'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

warehouses = sa.table(
    'warehouses',
    sa.column('code', sa.String()),
    sa.column('name', sa.String()),
    sa.column('created_at', shared.db.UtcDateTime()),
)


def upgrade() -> None:
    # Movements and counts default to MAIN; it used to be created by the first request naming it,
    # which made reads write.
    found = op.get_bind().execute(sa.select(warehouses.c.code).where(warehouses.c.code == 'MAIN'))
    if found.first() is None:
        op.bulk_insert(
            warehouses,
            [{'code': 'MAIN', 'name': 'Main warehouse', 'created_at': datetime.now(UTC)}],
        )


def downgrade() -> None:
    # The warehouse stays: stock may have been booked in it.
    pass
