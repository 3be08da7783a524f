"""The delivery outbox in SQL: broadcasts and direct texts in, claims and outcomes for the senders.

Claiming marks due rows ``sending`` with ``claimed_at`` in one statement: ``UPDATE … WHERE id
IN (SELECT … ORDER BY priority, due_at, id LIMIT n) RETURNING …``. On PostgreSQL the inner
select takes ``FOR UPDATE SKIP LOCKED``, so senders on several instances never wait for or
take each other's rows; SQLite has one writer at a time, so the statement is atomic as is.
Rows left ``sending`` longer than the lease (their sender died) are made due again first,
looked for at most once a second per SqlOutbox: that scan reads every row claimed since the
last vacuum on PostgreSQL, so doing it on every claim costs more than the claim itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, cast, func, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.change_plans import insert_rows
from esvitlo.adapters.sql.channel_posts import mark_channel_lost
from esvitlo.adapters.sql.column_types import JsonText, UtcDateTime
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    channels,
    notification_settings,
    outbox,
    users,
)
from esvitlo.domain.delivery import PRIORITY_BROADCAST, OutboxMessage, OutboxStatus
from esvitlo.domain.direct_messages import DirectMessage

PENDING = OutboxStatus.PENDING.value
SENDING = OutboxStatus.SENDING.value
WAITING = (PENDING, SENDING)
BROADCAST = "broadcast"
RECLAIM_EVERY = timedelta(seconds=1)
BROADCAST_PRIORITY = PRIORITY_BROADCAST
"""Smaller priorities are sent sooner; a broadcast yields to alerts and reminders."""


def default_broadcast_id(text: str, created_at: datetime) -> str:
    """A stable id for a broadcast: the same text at the same moment is the same broadcast."""
    stamp = created_at.astimezone(UTC).isoformat()
    return hashlib.sha256(f"{stamp}|{text}".encode()).hexdigest()[:16]


def _message(row: Any, quiet: dict[int, tuple[time, time]]) -> OutboxMessage:
    start, end = quiet.get(row.chat_id, (None, None))
    return OutboxMessage(
        id=row.id,
        chat_id=row.chat_id,
        kind=row.kind,
        topic=row.topic,
        payload=row.payload,
        priority=row.priority,
        attempts=row.attempts,
        quiet_start=start,
        quiet_end=end,
    )


async def _quiet_hours(conn: AsyncConnection, chat_ids: set[int]) -> dict[int, tuple[time, time]]:
    """Quiet hours of the users among ``chat_ids`` who set them."""
    private = [chat_id for chat_id in chat_ids if chat_id > 0]
    if not private:
        return {}
    query = (
        select(
            users.c.telegram_id,
            notification_settings.c.quiet_start,
            notification_settings.c.quiet_end,
        )
        .select_from(
            users.join(notification_settings, notification_settings.c.user_id == users.c.id)
        )
        .where(users.c.telegram_id.in_(private), notification_settings.c.quiet_start.is_not(None))
    )
    rows = await conn.execute(query)
    return {row.telegram_id: (row.quiet_start, row.quiet_end) for row in rows}


def _due(dialect: str, limit: int, now: datetime) -> Any:
    """The ids of up to ``limit`` due rows, most urgent first, as a subquery for ``IN``.

    On PostgreSQL the rows are locked (``FOR UPDATE SKIP LOCKED``) in a ``MATERIALIZED`` CTE,
    so they are picked once whatever the plan: with statistics older than a fan-out, the
    planner may otherwise re-run a plain ``IN`` subquery for every row of the outbox. Ties
    of (priority, due_at) go in index order there (ordering by id too would sort every row
    of a fan-out, which all share both); SQLite's index ends with the rowid, so id is free.
    """
    due = select(outbox.c.id).where(outbox.c.status == PENDING, outbox.c.due_at <= now)
    if dialect != "postgresql":
        return due.order_by(outbox.c.priority, outbox.c.due_at, outbox.c.id).limit(limit)
    locked = (
        due.order_by(outbox.c.priority, outbox.c.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    return select(locked.c.id)


class SqlOutbox:
    """ports.Outbox and ports.DeliveryQueue on SQLAlchemy Core: one row per (recipient, event)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reclaimed_at: datetime | None = None

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
        async with self._engine.begin() as conn:
            return await insert_rows(conn, recipients)

    async def enqueue_direct(self, messages: Sequence[DirectMessage], now: datetime) -> int:
        """Queue messages to single chats, skipping keys already queued; the rows added."""
        if not messages:
            return 0
        rows = [
            {
                "chat_id": m.chat_id, "kind": m.kind, "topic": m.topic, "idempotency_key": m.key,
                "payload": dict(m.payload), "status": PENDING, "priority": m.priority,
                "due_at": now, "attempts": 0, "created_at": now,
            }
            for m in messages
        ]  # fmt: skip
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, outbox).values(rows)
            result = await conn.execute(
                insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
            )
        return max(result.rowcount, 0)

    async def pending_count(self) -> int:
        """How many messages wait to be sent."""
        query = select(func.count()).select_from(outbox).where(outbox.c.status == PENDING)
        async with self._engine.connect() as conn:
            return int(await conn.scalar(query) or 0)

    async def oldest_pending_due(self, now: datetime) -> datetime | None:
        """When the longest-waiting pending message became due (by ``now``); None if none is."""
        query = select(func.min(outbox.c.due_at)).where(
            outbox.c.status == PENDING, outbox.c.due_at <= now
        )
        async with self._engine.connect() as conn:
            oldest: datetime | None = await conn.scalar(query)  # min() keeps the column type
        return oldest

    async def claim(self, limit: int, now: datetime, lease: timedelta) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages, most urgent first; see the module docstring."""
        if limit <= 0:
            return []
        async with self._engine.begin() as conn:
            if self._reclaim_due(now, lease):
                await conn.execute(
                    update(outbox)
                    .where(outbox.c.status == SENDING, outbox.c.claimed_at < now - lease)
                    .values(status=PENDING, claimed_at=None)
                )
            claimed = (
                update(outbox)
                .where(outbox.c.id.in_(_due(conn.dialect.name, limit, now)))
                .values(status=SENDING, claimed_at=now)
                .returning(*outbox.c)
            )
            rows = list((await conn.execute(claimed)).all())
            quiet = await _quiet_hours(conn, {row.chat_id for row in rows})
        rows.sort(key=lambda row: (row.priority, row.due_at, row.id))
        return [_message(row, quiet) for row in rows]

    def _reclaim_due(self, now: datetime, lease: timedelta) -> bool:
        """Whether to look for expired claims now (a clock set back looks at once)."""
        last = self._reclaimed_at
        if last is not None and last <= now < last + min(RECLAIM_EVERY, lease):
            return False
        self._reclaimed_at = now
        return True

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        """Record messages as delivered."""
        if message_ids:
            await self._update(
                list(message_ids), status=OutboxStatus.SENT.value, sent_at=now, claimed_at=None
            )

    async def retry_later(
        self, message_id: int, due_at: datetime, error: str, *, count_attempt: bool = True
    ) -> None:
        """Make a message due again at ``due_at``, counting a failed attempt if asked."""
        await self._update(
            [message_id],
            status=PENDING,
            due_at=due_at,
            claimed_at=None,
            last_error=error,
            attempts=outbox.c.attempts + int(count_attempt),
        )

    async def dead_letter(self, message_id: int, error: str) -> None:
        """Give up on a message for good, counting the last attempt."""
        await self._update(
            [message_id],
            status=OutboxStatus.DEAD.value,
            claimed_at=None,
            last_error=error,
            attempts=outbox.c.attempts + 1,
        )

    async def drop(self, message_id: int, reason: str) -> None:
        """Settle a message unsent: its recipient no longer wants it."""
        await self._update(
            [message_id], status=OutboxStatus.DROPPED.value, claimed_at=None, last_error=reason
        )

    async def release(self, message_ids: Sequence[int]) -> None:
        """Hand claimed messages back unsent, due at once."""
        if message_ids:
            await self._update(list(message_ids), SENDING, status=PENDING, claimed_at=None)

    async def deactivate_recipient(
        self, chat_id: int, error: str, now: datetime | None = None
    ) -> int:
        """User inactive or channel lost (its owner told once, see channel_posts.py), and its
        waiting messages dropped; the number dropped."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(users).where(users.c.telegram_id == chat_id).values(active=False)
            )
            await mark_channel_lost(conn, chat_id, now or datetime.now(UTC))
            result = await conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == chat_id, outbox.c.status.in_(WAITING))
                .values(status=OutboxStatus.DROPPED.value, claimed_at=None, last_error=error)
            )
        return max(result.rowcount, 0)

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Give a migrated group's channel row and waiting messages the new chat id."""
        async with self._engine.begin() as conn:
            taken = await conn.scalar(
                select(channels.c.id).where(channels.c.chat_id == new_chat_id)
            )
            if taken is None:
                await conn.execute(
                    update(channels)
                    .where(channels.c.chat_id == old_chat_id)
                    .values(chat_id=new_chat_id)
                )
            result = await conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == old_chat_id, outbox.c.status.in_(WAITING))
                .values(chat_id=new_chat_id)
            )
        return max(result.rowcount, 0)

    async def _update(self, ids: list[int], only_status: str | None = None, **values: Any) -> None:
        statement = update(outbox).where(outbox.c.id.in_(ids)).values(**values)
        if only_status is not None:
            statement = statement.where(outbox.c.status == only_status)
        async with self._engine.begin() as conn:
            await conn.execute(statement)
