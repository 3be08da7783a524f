"""Power detection: monitor state, heartbeat secrets and the outages monitors saw.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)

STATE_COLUMNS = (
    ("secret", sa.String(64), None, True),
    ("beat_every_s", sa.Integer(), sa.text("60"), False),
    ("notify_user", sa.Boolean(), sa.true(), False),
    ("notify_channel", sa.Boolean(), sa.true(), False),
    ("power", sa.String(8), sa.text("'unknown'"), False),
    ("since", UTC_TIME, None, True),
    ("since_exact", sa.Boolean(), sa.false(), False),
    ("pending", sa.String(8), None, True),
    ("pending_since", UTC_TIME, None, True),
    ("pending_last", UTC_TIME, None, True),
    ("pending_count", sa.Integer(), sa.text("0"), False),
    ("state_version", sa.Integer(), sa.text("0"), False),
    ("last_beat_at", UTC_TIME, None, True),
)


def upgrade() -> None:
    """Add the monitor state columns, the secret index and the power_outages table."""
    for name, type_, default, nullable in STATE_COLUMNS:
        op.add_column("monitors", sa.Column(name, type_, server_default=default, nullable=nullable))
    op.create_index("ix_monitors_secret", "monitors", ["secret"], unique=True)
    op.create_table(
        "power_outages",
        sa.Column("id", ROW_ID, autoincrement=True, nullable=False),
        sa.Column("monitor_id", ROW_ID, nullable=False),
        sa.Column("started_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("start_exact", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["monitor_id"],
            ["monitors.id"],
            name="fk_power_outages_monitor_id_monitors",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_power_outages"),
    )
    op.create_index(
        "ix_power_outages_monitor_id_started_at", "power_outages", ["monitor_id", "started_at"]
    )


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.drop_index("ix_power_outages_monitor_id_started_at", table_name="power_outages")
    op.drop_table("power_outages")
    op.drop_index("ix_monitors_secret", table_name="monitors")
    with op.batch_alter_table("monitors") as batch:
        for name, *_ in reversed(STATE_COLUMNS):
            batch.drop_column(name)
