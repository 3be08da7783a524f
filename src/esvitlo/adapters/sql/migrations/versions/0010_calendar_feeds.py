"""Private calendar links: calendar_links, one per user, found by the SHA-256 of its secret.

The secret itself is never stored (like heartbeat secrets); deleting a user deletes the link.
The downgrade drops the table.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the table of private calendar links."""
    op.create_table(
        "calendar_links",
        sa.Column("user_id", ROW_ID, nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_calendar_links_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_calendar_links"),
    )
    op.create_index("ix_calendar_links_secret_hash", "calendar_links", ["secret_hash"], unique=True)


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.drop_index("ix_calendar_links_secret_hash", table_name="calendar_links")
    op.drop_table("calendar_links")
