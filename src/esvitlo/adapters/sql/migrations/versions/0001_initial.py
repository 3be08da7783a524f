"""Initial schema: users, subscriptions, settings, channels, monitors, schedules, state, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-05-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in adapters/sql/column_types.py (same storage).
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", ROW_ID, autoincrement=True, nullable=False)


def _user_fk(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete="CASCADE"
    )


def _create_accounts() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
    op.create_index("ix_users_telegram_id", "users", ["telegram_id"], unique=True)
    op.create_table(
        "subscriptions",
        _id(),
        sa.Column("user_id", ROW_ID, nullable=False),
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        _user_fk("subscriptions"),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
        sa.UniqueConstraint(
            "user_id", "region", "queue", name="uq_subscriptions_user_id_region_queue"
        ),
    )
    op.create_index(
        "ix_subscriptions_region_queue", "subscriptions", ["region", "queue", "user_id"]
    )
    op.create_table(
        "notification_settings",
        sa.Column("user_id", ROW_ID, nullable=False),
        sa.Column("schedule_changes", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("tomorrow", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("reminders", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("remind_before_off", sa.String(32), nullable=False),
        sa.Column("remind_before_on", sa.String(32), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        _user_fk("notification_settings"),
        sa.PrimaryKeyConstraint("user_id", name="pk_notification_settings"),
    )


def _create_channels_and_monitors() -> None:
    op.create_table(
        "channels",
        _id(),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("owner_user_id", ROW_ID, nullable=False),
        sa.Column("subscription_id", ROW_ID, nullable=True),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_post_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        _user_fk("channels", "owner_user_id"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_channels_subscription_id_subscriptions",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_channels"),
    )
    op.create_index("ix_channels_chat_id", "channels", ["chat_id"], unique=True)
    op.create_index("ix_channels_owner_user_id", "channels", ["owner_user_id"])
    op.create_index("ix_channels_subscription_id", "channels", ["subscription_id"])
    op.create_table(
        "monitors",
        _id(),
        sa.Column("user_id", ROW_ID, nullable=False),
        sa.Column("subscription_id", ROW_ID, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        _user_fk("monitors"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_monitors_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_monitors"),
    )
    op.create_index("ix_monitors_user_id", "monitors", ["user_id"])
    op.create_index("ix_monitors_subscription_id", "monitors", ["subscription_id"])


def _create_schedules() -> None:
    op.create_table(
        "schedule_queues",
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("region", "queue", name="pk_schedule_queues"),
    )
    op.create_table(
        "schedule_days",
        sa.Column("region", sa.String(32), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("outages", sa.Text(), nullable=False),
        sa.Column("possible", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["region", "queue"],
            ["schedule_queues.region", "schedule_queues.queue"],
            name="fk_schedule_days_region_schedule_queues",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("region", "queue", "day", name="pk_schedule_days"),
    )


def _create_state_and_outbox() -> None:
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.String(255), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_conversations"),
    )
    op.create_index("ix_conversations_telegram_id", "conversations", ["telegram_id"])
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"])
    op.create_table(
        "app_flags",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_app_flags"),
    )
    op.create_table(
        "outbox",
        _id(),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("topic", sa.String(128), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("due_at", UTC_TIME, nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
    )
    op.create_index("ix_outbox_status_priority_due_at", "outbox", ["status", "priority", "due_at"])
    op.create_index("ix_outbox_chat_id_topic", "outbox", ["chat_id", "topic"])


def upgrade() -> None:
    """Create every table and index of the first schema."""
    _create_accounts()
    _create_channels_and_monitors()
    _create_schedules()
    _create_state_and_outbox()


def downgrade() -> None:
    """Drop everything the upgrade created, children first."""
    for table in (
        "outbox",
        "app_flags",
        "conversations",
        "schedule_days",
        "schedule_queues",
        "monitors",
        "channels",
        "notification_settings",
        "subscriptions",
        "users",
    ):
        op.drop_table(table)
