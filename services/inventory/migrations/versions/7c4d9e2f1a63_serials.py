"""serials: one row per unit of a serial-tracked item, and the movements of each

Revision ID: 7c4d9e2f1a63
Revises: 3f8a1c2e7b90
Create Date: 2026-12-01 20:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '7c4d9e2f1a63'
down_revision: str | Sequence[str] | None = '3f8a1c2e7b90'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('serials',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('warehouse', sa.String(length=32), nullable=False),
    sa.Column('location', sa.String(length=32), nullable=False),
    sa.Column('lot', sa.String(length=64), nullable=False),
    sa.Column('created_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sku', 'serial', name=op.f('pk_serials'))
    )
    op.create_table('serial_movements',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('serial', sa.String(length=64), nullable=False),
    sa.Column('movement_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('warehouse', sa.String(length=32), nullable=False),
    sa.Column('location', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sku', 'serial'], ['serials.sku', 'serials.serial'], name=op.f('fk_serial_movements_sku_serials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serial_movements'))
    )
    with op.batch_alter_table('serial_movements', schema=None) as batch_op:
        batch_op.create_index('ix_serial_movements_serial', ['sku', 'serial'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('serial_movements', schema=None) as batch_op:
        batch_op.drop_index('ix_serial_movements_serial')
    op.drop_table('serial_movements')
    op.drop_table('serials')
