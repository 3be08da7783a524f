"""Power monitors in SQL: the user's list, and the outages each monitor saw."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.tables import monitors, power_outages
from esvitlo.adapters.sql.users import lock_user
from esvitlo.domain.monitors import Monitor, MonitorKind, MonitorLimitReached, PowerOutage
from esvitlo.domain.power import Power, PowerState
from esvitlo.ports import Clock


def state_from_row(row: Row[Any]) -> PowerState:
    """The PowerState kept in a ``monitors`` row."""
    return PowerState(
        power=Power(row.power),
        since=row.since,
        since_exact=row.since_exact,
        pending=Power(row.pending) if row.pending else None,
        pending_since=row.pending_since,
        pending_last=row.pending_last,
        pending_count=row.pending_count,
    )


def state_values(state: PowerState) -> dict[str, Any]:
    """The ``monitors`` columns that hold a PowerState."""
    return {
        "power": state.power.value,
        "since": state.since,
        "since_exact": state.since_exact,
        "pending": state.pending.value if state.pending else None,
        "pending_since": state.pending_since,
        "pending_last": state.pending_last,
        "pending_count": state.pending_count,
    }


def monitor_from_row(row: Row[Any]) -> Monitor:
    """A Monitor from a ``monitors`` row."""
    return Monitor(
        id=row.id,
        user_id=row.user_id,
        subscription_id=row.subscription_id,
        kind=MonitorKind(row.kind),
        target=row.target,
        secret_hash=row.secret_hash,
        beat_every=timedelta(seconds=row.beat_every_s),
        notify_user=row.notify_user,
        notify_channel=row.notify_channel,
        created_at=row.created_at,
        state=state_from_row(row),
        last_beat_at=row.last_beat_at,
    )


def _owned(monitor_id: int, user_id: int) -> Any:
    return (monitors.c.id == monitor_id) & (monitors.c.user_id == user_id)


def _count_of(user_id: int) -> Any:
    return select(func.count()).select_from(monitors).where(monitors.c.user_id == user_id)


class SqlMonitors:
    """ports.Monitors on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def add(
        self,
        user_id: int,
        subscription_id: int,
        kind: MonitorKind,
        target: str,
        secret_hash: str | None,
        beat_every: timedelta,
        *,
        limit: int | None = None,
    ) -> Monitor:
        """Store a new monitor (state unknown) on one of the user's addresses; raise
        MonitorLimitReached when the user already has ``limit``, counted behind the user's
        row lock in the transaction that inserts."""
        values = {
            "user_id": user_id,
            "subscription_id": subscription_id,
            "kind": kind.value,
            "target": target,
            "secret_hash": secret_hash,
            "beat_every_s": int(beat_every.total_seconds()),
            "created_at": self._clock.now(),
        }
        async with self._engine.begin() as conn:
            if limit is not None:
                await lock_user(conn, user_id)
                if int(await conn.scalar(_count_of(user_id)) or 0) >= limit:
                    raise MonitorLimitReached(f"user {user_id} has {limit} monitors")
            row = (await conn.execute(monitors.insert().values(values).returning(monitors))).one()
        return monitor_from_row(row)

    async def list_for_user(self, user_id: int) -> list[Monitor]:
        """The user's monitors, oldest first."""
        query = select(monitors).where(monitors.c.user_id == user_id).order_by(monitors.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [monitor_from_row(row) for row in rows]

    async def get(self, monitor_id: int, user_id: int) -> Monitor | None:
        """One of the user's monitors, or None when it is someone else's or gone."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(monitors).where(_owned(monitor_id, user_id)))
            ).one_or_none()
        return monitor_from_row(row) if row else None

    async def by_id(self, monitor_id: int) -> Monitor | None:
        """Any user's monitor by its id, or None when it is gone."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(monitors).where(monitors.c.id == monitor_id))
            ).one_or_none()
        return monitor_from_row(row) if row else None

    async def remove(self, monitor_id: int, user_id: int) -> bool:
        """Delete one of the user's monitors; its outages go with it (ON DELETE CASCADE)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(power_outages).where(
                    power_outages.c.monitor_id.in_(
                        select(monitors.c.id).where(_owned(monitor_id, user_id))
                    )
                )
            )
            result = await conn.execute(delete(monitors).where(_owned(monitor_id, user_id)))
        return result.rowcount > 0

    async def count_for_user(self, user_id: int) -> int:
        """How many monitors the user has."""
        async with self._engine.connect() as conn:
            return int((await conn.execute(_count_of(user_id))).scalar_one())

    async def replace_secret(self, monitor_id: int, user_id: int, secret_hash: str) -> bool:
        """Give one of the user's heartbeat monitors a new secret hash; the old secret stops
        matching with this commit."""
        statement = (
            update(monitors)
            .where(_owned(monitor_id, user_id), monitors.c.kind == MonitorKind.HEARTBEAT.value)
            .values(secret_hash=secret_hash)
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0

    async def set_notify(
        self, monitor_id: int, user_id: int, *, notify_user: bool, notify_channel: bool
    ) -> bool:
        """Choose who hears of the monitor's changes."""
        statement = (
            update(monitors)
            .where(_owned(monitor_id, user_id))
            .values(notify_user=notify_user, notify_channel=notify_channel)
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0

    async def outages(self, monitor_id: int, since: datetime, until: datetime) -> list[PowerOutage]:
        """The monitor's outages overlapping ``[since, until)``, oldest first."""
        query = (
            select(power_outages)
            .where(
                power_outages.c.monitor_id == monitor_id,
                power_outages.c.started_at < until,
                or_(power_outages.c.ended_at.is_(None), power_outages.c.ended_at > since),
            )
            .order_by(power_outages.c.started_at)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [PowerOutage(row.started_at, row.ended_at, row.start_exact) for row in rows]
