"""Link buttons under a channel's posts as the owner's choice: channels.post_buttons.

Existing channels keep the buttons (on); the downgrade drops the column.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add whether posts carry the timer and today links (on by default)."""
    op.add_column(
        "channels",
        sa.Column("post_buttons", sa.Boolean(), server_default=sa.true(), nullable=False),
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("post_buttons")
