"""Delivery: claim leases on outbox rows, coalescing by topic, revisions of stored days.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)  # frozen copy of column_types.UtcDateTime's storage


def upgrade() -> None:
    """Add outbox.claimed_at, the (topic, status) index and schedule_days.revision."""
    op.add_column("outbox", sa.Column("claimed_at", UTC_TIME, nullable=True))
    op.create_index("ix_outbox_topic_status", "outbox", ["topic", "status"])
    op.add_column(
        "schedule_days",
        sa.Column("revision", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    with op.batch_alter_table("schedule_days") as batch:
        batch.drop_column("revision")
    op.drop_index("ix_outbox_topic_status", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
