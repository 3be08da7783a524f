"""Admin dashboard logins: the admin_logins table of one-time login links.

Only the SHA-256 of a link's token is stored, with the admin it was made for, its expiry
and when it was used (a link logs in once). The session signing key lives in app_flags
(made on first use), so this migration creates no secret. The downgrade drops the table.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the table of login links."""
    op.create_table(
        "admin_logins",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("used_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_admin_logins"),
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.drop_table("admin_logins")
