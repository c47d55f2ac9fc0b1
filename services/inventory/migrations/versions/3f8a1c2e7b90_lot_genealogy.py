"""lot genealogy: the component lots of made lots, and the sources of purchased receipts

Revision ID: 3f8a1c2e7b90
Revises: 5b0e7c2a9d13
Create Date: 2026-12-01 20:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '3f8a1c2e7b90'
down_revision: str | Sequence[str] | None = '5b0e7c2a9d13'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('lot_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('output_sku', sa.String(length=64), nullable=False),
    sa.Column('output_lot', sa.String(length=64), nullable=False),
    sa.Column('output_quantity', shared.db.Amount(precision=24, scale=6), nullable=False),
    sa.Column('component_sku', sa.String(length=64), nullable=False),
    sa.Column('component_lot', sa.String(length=64), nullable=False),
    sa.Column('component_quantity', shared.db.Amount(precision=24, scale=6), nullable=False),
    sa.Column('recorded_at', shared.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_links'))
    )
    with op.batch_alter_table('lot_links', schema=None) as batch_op:
        batch_op.create_index('ix_lot_links_component', ['component_sku', 'component_lot'], unique=False)
        batch_op.create_index('ix_lot_links_output', ['output_sku', 'output_lot'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_links_reference'), ['reference'], unique=False)

    op.create_table('receipt_sources',
    sa.Column('receipt_id', sa.String(length=100), nullable=False),
    sa.Column('purchase_order_id', sa.String(length=100), nullable=False),
    sa.Column('purchase_order_number', sa.String(length=100), nullable=True),
    sa.Column('supplier', sa.String(length=200), nullable=True),
    sa.Column('received_at', shared.db.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('receipt_id', name=op.f('pk_receipt_sources'))
    )


def downgrade() -> None:
    op.drop_table('receipt_sources')
    with op.batch_alter_table('lot_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_links_reference'))
        batch_op.drop_index('ix_lot_links_output')
        batch_op.drop_index('ix_lot_links_component')
    op.drop_table('lot_links')
