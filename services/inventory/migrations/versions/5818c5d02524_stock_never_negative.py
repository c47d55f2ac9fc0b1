"""stock can never go negative: CHECK constraints on the level tables

Revision ID: 5818c5d02524
Revises: 055d6d90180d
Create Date: 2026-12-01 19:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = '5818c5d02524'
down_revision: str | Sequence[str] | None = '055d6d90180d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('sku_stock', 'stock_levels')
COLUMNS = ('on_hand', 'reserved', 'on_hold')


def upgrade() -> None:
    # Batch mode: SQLite cannot add a constraint to a table, so the table is copied with it.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in COLUMNS:
                batch_op.create_check_constraint(
                    op.f(f'ck_{table}_{column}_not_negative'), f'{column} >= 0'
                )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in COLUMNS:
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}_not_negative'), type_='check')
