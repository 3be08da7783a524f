"""Channel posts: how a channel gets a new schedule, and how often the bot lost it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-13
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add channels.post_mode ('new' / 'edit'), delete_previous and lost_count."""
    op.add_column(
        "channels",
        sa.Column("post_mode", sa.String(8), server_default=sa.text("'new'"), nullable=False),
    )
    op.add_column(
        "channels",
        sa.Column("delete_previous", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "channels",
        sa.Column("lost_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("lost_count")
        batch.drop_column("delete_previous")
        batch.drop_column("post_mode")
