"""mrp counts proposed purchase orders, shows supply side by side and names orders by number

Revision ID: 7a41c9e2d8f5
Revises: b98dff4cad4d
Create Date: 2026-12-01 19:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '7a41c9e2d8f5'
down_revision: str | Sequence[str] | None = 'b98dff4cad4d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mrp_proposed_purchase_lines',
    sa.Column('purchase_order_id', sa.String(length=64), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('supplier', sa.String(length=64), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=True),
    sa.Column('quantity', shared.db.Amount(precision=24, scale=6), nullable=False),
    sa.PrimaryKeyConstraint('purchase_order_id', 'sku', name=op.f('pk_mrp_proposed_purchase_lines'))
    )
    with op.batch_alter_table('mrp_delivery_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=64), nullable=True))
    with op.batch_alter_table('mrp_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supply', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('mrp_runs', schema=None) as batch_op:
        batch_op.drop_column('supply')
    with op.batch_alter_table('mrp_delivery_lines', schema=None) as batch_op:
        batch_op.drop_column('number')
    op.drop_table('mrp_proposed_purchase_lines')
