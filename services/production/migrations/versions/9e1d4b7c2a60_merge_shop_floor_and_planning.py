"""merge the shop-floor and planning branches of the schema

Revision ID: 9e1d4b7c2a60
Revises: 3c9d5e7f1a2b, c5bdfebd024c
Create Date: 2026-12-01 20:30:00
"""

from collections.abc import Sequence

revision: str = '9e1d4b7c2a60'
down_revision: str | Sequence[str] | None = ('3c9d5e7f1a2b', 'c5bdfebd024c')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
