"""What the admin dashboard reads and changes in SQL: login links, the shared signing key,
outbox figures, dead letters (retry or drop) and each region's last stored update.

Everything here is in the shared database, so any instance serves the dashboard: a link made
on one instance logs in on another, and a cookie signed by one is valid on all.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    admin_logins,
    app_flags,
    monitors,
    outbox,
    schedule_days,
)
from esvitlo.domain.delivery import OutboxStatus
from esvitlo.ports.admin_dashboard import DeadLetter, OutboxFigures

SIGNING_KEY_FLAG = "admin_session_key"
DEAD = OutboxStatus.DEAD.value
PENDING = OutboxStatus.PENDING.value


class SqlAdminDashboard:
    """ports.AdminDashboardStore on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def signing_key(self, now: datetime) -> str:
        """The shared session key: made once (the first instance to ask wins), then read."""
        async with self._engine.begin() as conn:
            made = upsert_insert(conn, app_flags).values(
                name=SIGNING_KEY_FLAG,
                value=secrets.token_hex(32),
                updated_at=now,
            )
            await conn.execute(made.on_conflict_do_nothing(index_elements=["name"]))
            key = await conn.scalar(
                select(app_flags.c.value).where(app_flags.c.name == SIGNING_KEY_FLAG)
            )
        return str(key)

    async def add_login(
        self, token_hash: str, telegram_id: int, expires_at: datetime, now: datetime
    ) -> None:
        """Store a login link's token hash until ``expires_at``; forget links expired by
        ``now`` (a few rows a day at most, so no retention task is needed)."""
        row = {"token_hash": token_hash, "telegram_id": telegram_id, "expires_at": expires_at}
        async with self._engine.begin() as conn:
            await conn.execute(delete(admin_logins).where(admin_logins.c.expires_at <= now))
            await conn.execute(insert(admin_logins).values(row))

    async def use_login(self, token_hash: str, now: datetime) -> int | None:
        """Mark a link used and return its admin's id; None when unknown, used or expired."""
        query = (
            update(admin_logins)
            .where(
                admin_logins.c.token_hash == token_hash,
                admin_logins.c.used_at.is_(None),
                admin_logins.c.expires_at > now,
            )
            .values(used_at=now)
            .returning(admin_logins.c.telegram_id)
        )
        async with self._engine.begin() as conn:
            found = (await conn.execute(query)).scalar_one_or_none()
        return None if found is None else int(found)

    async def outbox_figures(self) -> OutboxFigures:
        """How many messages wait, since when the oldest, and how many are dead."""
        waiting = outbox.c.status.in_([PENDING, OutboxStatus.SENDING.value])
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(waiting)
                )
            ).one()
            dead = await conn.scalar(select(func.count()).where(outbox.c.status == DEAD))
        return OutboxFigures(int(row[0] or 0), row[1], int(dead or 0))

    async def dead_letters(self, limit: int) -> list[DeadLetter]:
        """The newest dead letters, at most ``limit``."""
        query = (
            select(
                outbox.c.id,
                outbox.c.chat_id,
                outbox.c.kind,
                outbox.c.attempts,
                outbox.c.last_error,
                outbox.c.created_at,
            )
            .where(outbox.c.status == DEAD)
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [DeadLetter(*row) for row in rows]

    async def retry_dead(self, message_id: int, now: datetime) -> bool:
        """Make a dead letter pending again, due now, with its attempts reset; False when it
        is not (or no longer) dead."""
        return await self._settle_dead(
            message_id, status=PENDING, due_at=now, attempts=0, claimed_at=None
        )

    async def drop_dead(self, message_id: int) -> bool:
        """Settle a dead letter as dropped; False when it is not (or no longer) dead."""
        return await self._settle_dead(message_id, status=OutboxStatus.DROPPED.value)

    async def _settle_dead(self, message_id: int, **values: object) -> bool:
        query = (
            update(outbox).where(outbox.c.id == message_id, outbox.c.status == DEAD).values(values)
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(query)).rowcount == 1

    async def monitor_count(self) -> int:
        """How many power monitors exist."""
        async with self._engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(monitors)) or 0)

    async def last_updates(self) -> dict[str, datetime]:
        """When each region's stored schedule last changed (what any instance knows)."""
        query = select(schedule_days.c.region, func.max(schedule_days.c.updated_at)).group_by(
            schedule_days.c.region
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {str(region): when for region, when in rows if when is not None}
