"""The schema as SQLAlchemy Core tables; migrations/ must create exactly this (a test checks)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)

from esvitlo.adapters.sql.column_types import ROW_ID, JsonText, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _user_fk(nullable: bool = False) -> Column[int]:
    return Column("user_id", ROW_ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=nullable)


users = Table(
    "users",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("telegram_id", BigInteger, nullable=False),
    Column("language", String(8), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_users_telegram_id", "telegram_id", unique=True),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    _user_fk(),
    Column("region", String(32), nullable=False),
    Column("queue", String(32), nullable=False),
    Column("label", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("user_id", "region", "queue"),
    # Subscribers of a (region, queue): the user ids come from the index alone.
    Index("ix_subscriptions_region_queue", "region", "queue", "user_id"),
)

# The street and house a subscription was found from (migration 0009): ids get renumbered,
# so the text is kept and re-resolved daily at its own time of day.
address_lookups = Table(
    "address_lookups",
    metadata,
    Column(
        "subscription_id",
        ROW_ID,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("street", String(200), nullable=False),
    Column("house", String(40), nullable=False),
    Column("queue", String(32), nullable=False),
    Column("checked_at", UtcDateTime, nullable=False),
    Column("next_check_at", UtcDateTime, nullable=False),
    Index("ix_address_lookups_next_check_at", "next_check_at"),
)

notification_settings = Table(
    "notification_settings",
    metadata,
    Column("user_id", ROW_ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("schedule_changes", Boolean, nullable=False, server_default=true()),
    # "new schedule published" alerts (the column keeps its first name)
    Column("tomorrow", Boolean, nullable=False, server_default=true()),
    Column("emergency", Boolean, nullable=False, server_default=true()),  # migration 0008
    # crowd alerts (migration 0011); NULL: the default, on unless the user has a monitor
    Column("crowd", Boolean, nullable=True),
    Column("crowd_plan", Boolean, nullable=False, server_default=false()),  # early / late
    Column("reminders", Boolean, nullable=False, server_default=true()),
    Column("remind_before_off", String(32), nullable=False),  # minutes, "15,30"
    Column("remind_before_on", String(32), nullable=False),
    Column("quiet_start", Time, nullable=True),  # local wall-clock times
    Column("quiet_end", Time, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

channels = Table(
    "channels",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("owner_user_id", ROW_ID, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column(
        "subscription_id",
        ROW_ID,
        ForeignKey("subscriptions.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Column("title", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("last_post_message_id", BigInteger, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    # how a new schedule is published: "new" post (deleting the previous one or not) or "edit"
    Column("post_mode", String(8), nullable=False, server_default=text("'new'")),
    Column("delete_previous", Boolean, nullable=False, server_default=false()),
    # times the bot lost the channel while publishing: names the episode the owner is told of
    Column("lost_count", Integer, nullable=False, server_default=text("0")),
    # "channel", "group" or "supergroup"; in a forum, the topic posts go to (None: General)
    Column("chat_kind", String(16), nullable=False, server_default=text("'channel'")),
    Column("thread_id", BigInteger, nullable=True),
    # "full" caption or "picture" (a one-line title); the owner's template (None: default)
    Column("caption_style", String(8), nullable=False, server_default=text("'full'")),
    Column("caption_template", Text, nullable=True),
    Column("post_buttons", Boolean, nullable=False, server_default=true()),
    Index("ix_channels_chat_id", "chat_id", unique=True),
    Index("ix_channels_owner_user_id", "owner_user_id"),
    Index("ix_channels_subscription_id", "subscription_id"),
)

monitors = Table(
    "monitors",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    _user_fk(),
    Column(
        "subscription_id",
        ROW_ID,
        ForeignKey("subscriptions.id", ondelete="CASCADE"),
        nullable=True,
    ),
    Column("kind", String(16), nullable=False),  # domain.monitors.MonitorKind
    Column("target", String(255), nullable=False),  # probes: MonitorTarget.as_text()
    Column("created_at", UtcDateTime, nullable=False),
    # heartbeats: SHA-256 (hex) of the secret in /hb/<secret>; the secret is never stored
    Column("secret_hash", String(64), nullable=True),
    Column("beat_every_s", Integer, nullable=False, server_default=text("60")),
    Column("notify_user", Boolean, nullable=False, server_default=true()),
    Column("notify_channel", Boolean, nullable=False, server_default=true()),
    # the PowerState (domain.power); state_version is bumped on every save
    Column("power", String(8), nullable=False, server_default=text("'unknown'")),
    Column("since", UtcDateTime, nullable=True),
    Column("since_exact", Boolean, nullable=False, server_default=false()),
    Column("pending", String(8), nullable=True),
    Column("pending_since", UtcDateTime, nullable=True),
    Column("pending_last", UtcDateTime, nullable=True),
    Column("pending_count", Integer, nullable=False, server_default=text("0")),
    Column("state_version", Integer, nullable=False, server_default=text("0")),
    Column("last_beat_at", UtcDateTime, nullable=True),
    Index("ix_monitors_user_id", "user_id"),
    Index("ix_monitors_subscription_id", "subscription_id"),
    Index("ix_monitors_secret_hash", "secret_hash", unique=True),
)

# Outages a monitor saw (not uptime): ended_at NULL while it lasts.
power_outages = Table(
    "power_outages",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("monitor_id", ROW_ID, ForeignKey("monitors.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("start_exact", Boolean, nullable=False, server_default=true()),
    Index("ix_power_outages_monitor_id_started_at", "monitor_id", "started_at"),
)

# The queues stored per region, even with no days left: "stored, empty" is not "never stored".
schedule_queues = Table(
    "schedule_queues",
    metadata,
    Column("region", String(32), primary_key=True),
    Column("queue", String(32), primary_key=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

schedule_days = Table(
    "schedule_days",
    metadata,
    Column("region", String(32), primary_key=True),
    Column("queue", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("state", String(16), nullable=False),
    Column("outages", JsonText, nullable=False),  # [[start, end], ...] wall-clock minutes
    Column("possible", JsonText, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Bumped on every change of content: alert keys name the revision they replace.
    Column("revision", Integer, nullable=False, server_default=text("0")),
    ForeignKeyConstraint(
        ["region", "queue"],
        ["schedule_queues.region", "schedule_queues.queue"],
        ondelete="CASCADE",
    ),
)

# A queue's crowd episode (domain.crowd.Episode), kept while not quiet (migration 0011).
crowd_episodes = Table(
    "crowd_episodes",
    metadata,
    Column("region", String(32), primary_key=True),
    Column("queue", String(32), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("since", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("planned_end", UtcDateTime, nullable=True),  # a planned episode's scheduled end
    Column("updated_at", UtcDateTime, nullable=False),
)

# A user's private calendar link (migration 0010): only the SHA-256 of its secret is kept.
calendar_links = Table(
    "calendar_links",
    metadata,
    Column("user_id", ROW_ID, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_calendar_links_secret_hash", "secret_hash", unique=True),
)

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("telegram_id", BigInteger, nullable=True),  # the user part of the key, if any
    Column("state", String(255), nullable=True),
    Column("data", JsonText, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_conversations_telegram_id", "telegram_id"),
    Index("ix_conversations_updated_at", "updated_at"),
)

app_flags = Table(
    "app_flags",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", ROW_ID, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("topic", String(128), nullable=False),
    Column("idempotency_key", String(255), nullable=False),
    Column("payload", JsonText, nullable=False),
    # pending, sending, sent, dead, superseded, dropped (domain.delivery.OutboxStatus)
    Column("status", String(16), nullable=False),
    Column("priority", SmallInteger, nullable=False),  # smaller is sooner
    Column("due_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("claimed_at", UtcDateTime, nullable=True),  # when a sender took it (its lease)
    UniqueConstraint("idempotency_key"),
    Index("ix_outbox_status_priority_due_at", "status", "priority", "due_at"),
    Index("ix_outbox_chat_id_topic", "chat_id", "topic"),
    Index("ix_outbox_topic_status", "topic", "status"),
)

# One-time admin dashboard login links (migration 0012): only the token's SHA-256 is kept.
admin_logins = Table(
    "admin_logins",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("telegram_id", BigInteger, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

__all__ = [
    "admin_logins",
    "app_flags",
    "calendar_links",
    "channels",
    "conversations",
    "crowd_episodes",
    "metadata",
    "monitors",
    "notification_settings",
    "outbox",
    "power_outages",
    "schedule_days",
    "schedule_queues",
    "subscriptions",
    "users",
]
