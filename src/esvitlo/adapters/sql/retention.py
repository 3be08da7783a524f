"""ports.RetentionStore in SQL: old rows deleted in batches, each its own short transaction.

The outbox is walked in primary-key order, one window of ``batch_size`` rows at a time, and
the settled rows of each window created before the cutoff are deleted; the walk stops at the
first window that reaches past the cutoff. Ids grow with ``created_at``, so a run reads the
old rows and the few survivors before them (messages still waiting), never the whole table,
and needs no index beyond the primary key. Schedule days and conversations are small tables:
``DELETE … WHERE key IN (SELECT key … LIMIT n)`` until a batch comes back short.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Delete, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.tables import conversations, outbox, schedule_days
from esvitlo.domain.delivery import OutboxStatus

SETTLED = (
    OutboxStatus.SENT.value,
    OutboxStatus.DEAD.value,
    OutboxStatus.SUPERSEDED.value,
    OutboxStatus.DROPPED.value,
)
"""Outbox statuses nothing will change any more; pending and sending are never pruned."""


class SqlRetention:
    """Deletes old outbox rows, schedule days and conversations on SQLite and PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def prune_outbox(self, created_before: datetime, batch_size: int) -> int:
        """Delete settled messages created before the cutoff, one id window at a time."""
        after, deleted = 0, 0
        while True:
            window = await self._outbox_window(after, batch_size)
            if not window:
                return deleted
            (first, _), (last, last_created) = window[0], window[-1]
            statement = delete(outbox).where(
                outbox.c.id.between(first, last),
                outbox.c.status.in_(SETTLED),
                outbox.c.created_at < created_before,
            )
            deleted += await self._execute(statement)
            if len(window) < batch_size or last_created >= created_before:
                return deleted
            after = last

    async def prune_schedule_days(self, before: date, batch_size: int) -> int:
        """Delete stored days dated before ``before``."""
        key = tuple_(schedule_days.c.region, schedule_days.c.queue, schedule_days.c.day)
        oldest = (
            select(schedule_days.c.region, schedule_days.c.queue, schedule_days.c.day)
            .where(schedule_days.c.day < before)
            .limit(batch_size)
        )
        return await self._in_batches(delete(schedule_days).where(key.in_(oldest)), batch_size)

    async def prune_conversations(self, updated_before: datetime, batch_size: int) -> int:
        """Delete conversations untouched since the cutoff."""
        oldest = (
            select(conversations.c.key)
            .where(conversations.c.updated_at < updated_before)
            .limit(batch_size)
        )
        statement = delete(conversations).where(conversations.c.key.in_(oldest))
        return await self._in_batches(statement, batch_size)

    async def _outbox_window(self, after: int, size: int) -> list[tuple[int, datetime]]:
        query = (
            select(outbox.c.id, outbox.c.created_at)
            .where(outbox.c.id > after)
            .order_by(outbox.c.id)
            .limit(size)
        )
        async with self._engine.connect() as conn:
            return [(row.id, row.created_at) for row in await conn.execute(query)]

    async def _in_batches(self, statement: Delete, batch_size: int) -> int:
        """Run a delete of at most ``batch_size`` rows until it deletes fewer."""
        deleted = 0
        while True:
            count = await self._execute(statement)
            deleted += count
            if count < batch_size:
                return deleted

    async def _execute(self, statement: Any) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return max(result.rowcount, 0)
