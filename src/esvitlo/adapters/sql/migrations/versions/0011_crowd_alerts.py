"""Crowd alerts: notification_settings.crowd and .crowd_plan, and the crowd_episodes table.

``crowd`` is NULL for everyone at first, meaning "the default": on for a user with no monitor
of their own, off for one who has a monitor (their own alerts tell them already).
``crowd_plan`` (power back earlier or later than planned) is off until asked for. The
downgrade drops all three.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the crowd alert setting (NULL: default) and the queues' episode state."""
    op.add_column("notification_settings", sa.Column("crowd", sa.Boolean(), nullable=True))
    op.add_column(
        "notification_settings",
        sa.Column("crowd_plan", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "crowd_episodes",
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("since", UTC_TIME, nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("planned_end", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("region", "queue", name="pk_crowd_episodes"),
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.drop_table("crowd_episodes")
    with op.batch_alter_table("notification_settings") as batch:
        batch.drop_column("crowd_plan")
        batch.drop_column("crowd")
