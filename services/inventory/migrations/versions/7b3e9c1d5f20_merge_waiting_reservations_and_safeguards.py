"""merge the waiting-reservations and stock-safeguards branches of the schema

Revision ID: 7b3e9c1d5f20
Revises: 5818c5d02524, c4e8a1f6b203
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

revision: str = '7b3e9c1d5f20'
down_revision: str | Sequence[str] | None = ('5818c5d02524', 'c4e8a1f6b203')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
