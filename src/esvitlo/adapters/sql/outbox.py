"""The delivery outbox in SQL (minimal for now), and the admin panel's head counts."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import String, cast, func, literal, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import JsonText, UtcDateTime
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import channels, outbox, subscriptions, users
from esvitlo.domain.accounts import AdminStats

PENDING = "pending"
BROADCAST = "broadcast"
BROADCAST_PRIORITY = 9
"""Smaller priorities are sent sooner; a broadcast yields to alerts and reminders."""


def default_broadcast_id(text: str, created_at: datetime) -> str:
    """A stable id for a broadcast: the same text at the same moment is the same broadcast."""
    stamp = created_at.astimezone(UTC).isoformat()
    return hashlib.sha256(f"{stamp}|{text}".encode()).hexdigest()[:16]


class SqlOutbox:
    """ports.Outbox on SQLAlchemy Core: one row per (recipient, event), unique idempotency key."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def enqueue_broadcast(
        self, text: str, created_at: datetime, broadcast_id: str | None = None
    ) -> int:
        """Queue ``text`` once per active user and broadcast, in one INSERT … SELECT."""
        topic = f"{BROADCAST}:{broadcast_id or default_broadcast_id(text, created_at)}"
        recipients = select(
            users.c.telegram_id,
            literal(BROADCAST),
            literal(topic),
            literal(f"{topic}:") + cast(users.c.telegram_id, String),
            literal({"text": text}, JsonText()),
            literal(PENDING),
            literal(BROADCAST_PRIORITY),
            literal(created_at, UtcDateTime()),
            literal(0),
            literal(created_at, UtcDateTime()),
        ).where(users.c.active == true())
        columns = [
            "chat_id",
            "kind",
            "topic",
            "idempotency_key",
            "payload",
            "status",
            "priority",
            "due_at",
            "attempts",
            "created_at",
        ]
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, outbox).from_select(columns, recipients)
            result = await conn.execute(
                insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
            )
        return max(result.rowcount, 0)

    async def pending_count(self) -> int:
        """How many messages wait to be sent."""
        query = select(func.count()).select_from(outbox).where(outbox.c.status == PENDING)
        async with self._engine.connect() as conn:
            return int(await conn.scalar(query) or 0)


class SqlAdminQueries:
    """ports.AdminQueries on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def stats(self) -> AdminStats:
        """Head counts of users, subscriptions per region, channels and the outbox."""
        count = func.count()
        by_region = (
            select(subscriptions.c.region, count)
            .group_by(subscriptions.c.region)
            .order_by(subscriptions.c.region)
        )
        async with self._engine.connect() as conn:
            user_total = await conn.scalar(select(count).select_from(users))
            active = await conn.scalar(
                select(count).select_from(users).where(users.c.active == true())
            )
            regions = {row[0]: int(row[1]) for row in await conn.execute(by_region)}
            channel_total = await conn.scalar(select(count).select_from(channels))
            pending = await conn.scalar(
                select(count).select_from(outbox).where(outbox.c.status == PENDING)
            )
        return AdminStats(
            users=int(user_total or 0),
            active_users=int(active or 0),
            subscriptions_by_region=regions,
            channels=int(channel_total or 0),
            pending_outbox=int(pending or 0),
        )
