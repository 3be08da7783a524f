"""Groups as destinations and caption styles: channels.chat_kind, thread_id, caption_style,
caption_template.

Existing rows are channels with the full default caption; the downgrade drops the columns
(groups linked meanwhile stay as rows and are treated as channels by the older code).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the chat's kind, the forum topic posts go to, and how the caption is made."""
    op.add_column(
        "channels",
        sa.Column("chat_kind", sa.String(16), server_default=sa.text("'channel'"), nullable=False),
    )
    op.add_column("channels", sa.Column("thread_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "channels",
        sa.Column("caption_style", sa.String(8), server_default=sa.text("'full'"), nullable=False),
    )
    op.add_column("channels", sa.Column("caption_template", sa.Text(), nullable=True))


def downgrade() -> None:
    """Remove what the upgrade added."""
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("caption_template")
        batch.drop_column("caption_style")
        batch.drop_column("thread_id")
        batch.drop_column("chat_kind")
