"""partial shipments: shipped quantity per line, several shipments per order with their lines

Revision ID: 5a1c0e7d2b90
Revises: 00379a357621
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

revision: str = '5a1c0e7d2b90'
down_revision: str | Sequence[str] | None = '00379a357621'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('delivery_order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shipped_quantity', shared.db.Amount(precision=24, scale=6), server_default='0', nullable=False))
    with op.batch_alter_table('delivery_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_shipments_delivery_order_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_shipments_delivery_order_id'), ['delivery_order_id'], unique=False)
        batch_op.add_column(sa.Column('claim_key', sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_shipments_claim_key'), ['claim_key'])
    op.create_table('shipment_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('shipment_id', sa.String(length=36), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', shared.db.Amount(precision=24, scale=6), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_lines_shipment_id_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_lines'))
    )
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipment_lines_shipment_id'), ['shipment_id'], unique=False)
    # Shipments made before carried every line of their order, in full.
    op.execute(
        "INSERT INTO shipment_lines (id, shipment_id, line_no, sku, quantity) "
        "SELECT l.id, s.id, l.line_no, l.sku, l.quantity "
        "FROM shipments s JOIN delivery_order_lines l ON l.delivery_order_id = s.delivery_order_id"
    )
    op.execute(
        "UPDATE delivery_order_lines SET shipped_quantity = quantity WHERE delivery_order_id IN "
        "(SELECT delivery_order_id FROM shipments)"
    )


def downgrade() -> None:
    with op.batch_alter_table('shipment_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipment_lines_shipment_id'))
    op.drop_table('shipment_lines')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_shipments_claim_key'), type_='unique')
        batch_op.drop_column('claim_key')
        batch_op.drop_index(batch_op.f('ix_shipments_delivery_order_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_shipments_delivery_order_id'), ['delivery_order_id'])
    with op.batch_alter_table('delivery_orders', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
    with op.batch_alter_table('delivery_order_lines', schema=None) as batch_op:
        batch_op.drop_column('shipped_quantity')
