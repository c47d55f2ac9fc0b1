"""merge the traceability branch of the schema (lot links, receipt sources, serials)

Revision ID: 8d2f6a0b4c71
Revises: 7b3e9c1d5f20, 7c4d9e2f1a63
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

revision: str = '8d2f6a0b4c71'
down_revision: str | Sequence[str] | None = ('7b3e9c1d5f20', '7c4d9e2f1a63')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
