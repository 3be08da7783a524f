"""What the calendars and the JSON API read from SQL: stored days with their revisions, the
private calendar links (hashes only) and a monitor's state by the hash of its secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.schedules import day_from_row
from esvitlo.adapters.sql.tables import (
    calendar_links,
    monitors,
    power_outages,
    schedule_days,
    schedule_queues,
    subscriptions,
    users,
)
from esvitlo.domain.api_views import MonitorStatus
from esvitlo.domain.calendar_feed import (
    FeedAddress,
    MeasuredOutage,
    PrivateFeedData,
    StoredDay,
)
from esvitlo.ports import Clock


class SqlScheduleArchive:
    """ports.ScheduleArchive: a region's stored days in two short queries."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def region_days(self, region: str) -> Mapping[str, Sequence[StoredDay]] | None:
        """Each stored queue's days in date order, or None when the region was never stored."""
        queues = select(schedule_queues.c.queue).where(schedule_queues.c.region == region)
        days = (
            select(schedule_days)
            .where(schedule_days.c.region == region)
            .order_by(schedule_days.c.queue, schedule_days.c.day)
        )
        async with self._engine.connect() as conn:
            names = list((await conn.execute(queues)).scalars())
            if not names:
                return None
            rows = (await conn.execute(days)).all()
        stored: dict[str, list[StoredDay]] = {name: [] for name in names}
        for row in rows:
            stored.setdefault(row.queue, []).append(
                StoredDay(day_from_row(row), row.revision, row.updated_at)
            )
        return stored


class SqlCalendarLinks:
    """ports.CalendarLinks over ``calendar_links`` (and the owner's addresses and outages)."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def replace(self, user_id: int, secret_hash: str) -> None:
        """Make ``secret_hash`` the user's only link."""
        now = self._clock.now()
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, calendar_links)
            statement = insert.values(
                user_id=user_id, secret_hash=secret_hash, created_at=now
            ).on_conflict_do_update(
                index_elements=["user_id"], set_={"secret_hash": secret_hash, "created_at": now}
            )
            await conn.execute(statement)

    async def revoke(self, user_id: int) -> bool:
        """Drop the user's link; False when there was none."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(calendar_links).where(calendar_links.c.user_id == user_id)
            )
        return bool(result.rowcount)

    async def has_link(self, user_id: int) -> bool:
        """Whether the user has a link now."""
        query = select(calendar_links.c.user_id).where(calendar_links.c.user_id == user_id)
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def feed_data(self, secret_hash: str, days: int) -> PrivateFeedData | None:
        """The link owner's language, addresses and closed outages of the last ``days`` days."""
        owner = (
            select(users.c.id, users.c.language)
            .join(calendar_links, calendar_links.c.user_id == users.c.id)
            .where(calendar_links.c.secret_hash == secret_hash)
        )
        async with self._engine.connect() as conn:
            user = (await conn.execute(owner)).first()
            if user is None:
                return None
            addresses = (
                await conn.execute(
                    select(subscriptions.c.region, subscriptions.c.queue, subscriptions.c.label)
                    .where(subscriptions.c.user_id == user.id)
                    .order_by(subscriptions.c.id)
                )
            ).all()
            since = self._clock.now() - timedelta(days=days)
            outages = (
                await conn.execute(
                    select(
                        power_outages.c.monitor_id,
                        power_outages.c.started_at,
                        power_outages.c.ended_at,
                        subscriptions.c.label,
                    )
                    .join(monitors, monitors.c.id == power_outages.c.monitor_id)
                    .outerjoin(subscriptions, subscriptions.c.id == monitors.c.subscription_id)
                    .where(
                        monitors.c.user_id == user.id,
                        power_outages.c.ended_at.is_not(None),
                        power_outages.c.started_at >= since,
                    )
                    .order_by(power_outages.c.started_at)
                )
            ).all()
        return PrivateFeedData(
            user_id=user.id,
            language=user.language,
            addresses=tuple(FeedAddress(r.region, r.queue, r.label) for r in addresses),
            outages=tuple(
                MeasuredOutage(
                    r.monitor_id, r.label or f"#{r.monitor_id}", r.started_at, r.ended_at
                )
                for r in outages
            ),
        )


class SqlMonitorStates:
    """ports.MonitorStates: a monitor's state by the hash of its heartbeat secret."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def by_secret(self, secret_hash: str) -> MonitorStatus | None:
        """The monitor whose secret hashes to ``secret_hash``, or None."""
        query = (
            select(
                monitors.c.kind,
                monitors.c.power,
                monitors.c.since,
                monitors.c.last_beat_at,
                subscriptions.c.label,
                subscriptions.c.region,
                subscriptions.c.queue,
            )
            .outerjoin(subscriptions, subscriptions.c.id == monitors.c.subscription_id)
            .where(monitors.c.secret_hash == secret_hash)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return MonitorStatus(
            kind=row.kind,
            power=row.power,
            since=row.since,
            label=row.label,
            region=row.region,
            queue=row.queue,
            last_beat_at=row.last_beat_at,
        )
