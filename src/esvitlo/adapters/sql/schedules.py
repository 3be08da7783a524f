"""The last known schedule days of every (region, queue) in SQL, and the alerts they cause."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import Row, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.change_plans import plan_alerts
from esvitlo.adapters.sql.channel_posts import plan_posts
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.reminder_plans import withdraw_moved_reminders
from esvitlo.adapters.sql.tables import schedule_days, schedule_queues
from esvitlo.domain.alerts import ChangeAlert
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.channel_posts import ChannelPost
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.ports import Clock

logger = logging.getLogger(__name__)

_Key = tuple[str, date]
_Content = tuple[str, list[list[int]], list[list[int]]]


def _spans_json(spans: tuple[Span, ...]) -> list[list[int]]:
    return [[span.start, span.end] for span in spans]


def _content(day: DaySchedule) -> _Content:
    return day.state.value, _spans_json(day.outages), _spans_json(day.possible)


class _StoredDay(NamedTuple):
    content: _Content
    fingerprint: str
    revision: int


def _revision(stored: _StoredDay | None) -> int:
    return 0 if stored is None else stored.revision


def _replaced_revisions(stored: Mapping[_Key, _StoredDay], alert: ChangeAlert) -> dict[date, int]:
    """Per changed day of an alert, the revision of the stored day it replaces; a part already
    applied (the day holds its fingerprint) replaces the revision before, so the alert's key
    comes out the same."""
    revisions: dict[date, int] = {}
    for part in alert.parts:
        day = stored.get((alert.queue, part.date))
        if day is None:
            revisions[part.date] = 0
        elif day.fingerprint == part.fingerprint:
            revisions[part.date] = day.revision - 1
        else:
            revisions[part.date] = day.revision
    return revisions


def day_from_row(row: Row[Any]) -> DaySchedule:
    """A DaySchedule from a ``schedule_days`` row."""
    return DaySchedule(
        date=row.day,
        state=DayState(row.state),
        outages=tuple(Span(start, end) for start, end in row.outages),
        possible=tuple(Span(start, end) for start, end in row.possible),
    )


class SqlScheduleStore:
    """ports.ScheduleStore on SQLAlchemy Core; a save writes only the days that differ."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]] | None:
        """All stored queues of a region (a queue may have no days), or None if never stored."""
        queues_query = select(schedule_queues.c.queue).where(schedule_queues.c.region == region)
        days_query = (
            select(schedule_days)
            .where(schedule_days.c.region == region)
            .order_by(schedule_days.c.queue, schedule_days.c.day)
        )
        async with self._engine.connect() as conn:
            queues = list((await conn.execute(queues_query)).scalars())
            if not queues:
                return None
            rows = (await conn.execute(days_query)).all()
        stored: dict[str, dict[date, DaySchedule]] = {queue: {} for queue in queues}
        for row in rows:
            stored[row.queue][row.day] = day_from_row(row)
        return stored

    async def save(self, region: str, queues: Mapping[str, Mapping[date, DaySchedule]]) -> None:
        """Make the given queues hold exactly the given days; other queues of the region stay."""
        await self.save_and_plan(region, queues, ())

    async def save_and_plan(
        self,
        region: str,
        queues: Mapping[str, Mapping[date, DaySchedule]],
        alerts: Sequence[ChangeAlert],
        posts: Sequence[ChannelPost] = (),
    ) -> int:
        """Save like ``save`` and queue the alerts and channel posts, in one transaction.

        The queue rows are written first: on PostgreSQL their row locks make a concurrent save
        of the same queues wait, then read what this one stored (and plan nothing twice).
        A post's key comes from the keys of its queue's alerts (a post without any is dropped).
        """
        if not queues and not alerts:
            return 0
        async with self._engine.begin() as conn:
            if queues:
                await self._mark_queues(conn, region, list(queues))
            stored = await self._stored(conn, region, {*queues, *(a.queue for a in alerts)})
            await self._write_days(conn, region, queues, stored)
            before = {key: day.fingerprint for key, day in stored.items()}
            await withdraw_moved_reminders(conn, region, before, queues)
            planned = [(alert, _replaced_revisions(stored, alert)) for alert in alerts]
            queued, superseded = await plan_alerts(conn, planned, self._clock.now())
            keys: dict[str, list[str]] = {}
            for alert, replaces in planned:
                keys.setdefault(alert.queue, []).append(alert.key_prefix(replaces))
            with_keys = [(post, keys[post.queue]) for post in posts if post.queue in keys]
            posted, replaced = await plan_posts(conn, with_keys, self._clock.now())
        if alerts:
            logger.info(
                "delivery.planned region=%s alerts=%d posts=%d queued=%d superseded=%d",
                region,
                len(alerts),
                len(with_keys),
                queued + posted,
                superseded + replaced,
            )
        return queued + posted

    async def _write_days(
        self,
        conn: AsyncConnection,
        region: str,
        queues: Mapping[str, Mapping[date, DaySchedule]],
        stored: Mapping[_Key, _StoredDay],
    ) -> None:
        """Delete the stored days no longer wanted and upsert the ones whose content differs."""
        wanted = {
            (queue, day): schedule
            for queue, days in queues.items()
            for day, schedule in days.items()
        }
        gone = [key for key in stored if key not in wanted and key[0] in queues]
        if gone:
            await self._delete_days(conn, region, gone)
        changed = {
            key: day
            for key, day in wanted.items()
            if key not in stored or stored[key].content != _content(day)
        }
        if changed:
            await self._upsert_days(conn, region, changed, stored)

    async def _stored(
        self, conn: AsyncConnection, region: str, queues: set[str]
    ) -> dict[_Key, _StoredDay]:
        query = select(
            schedule_days.c.queue,
            schedule_days.c.day,
            schedule_days.c.state,
            schedule_days.c.outages,
            schedule_days.c.possible,
            schedule_days.c.fingerprint,
            schedule_days.c.revision,
        ).where(schedule_days.c.region == region)
        rows = await conn.execute(query)
        return {
            (row.queue, row.day): _StoredDay(
                (row.state, row.outages, row.possible), row.fingerprint, row.revision
            )
            for row in rows
            if row.queue in queues
        }

    async def _mark_queues(self, conn: AsyncConnection, region: str, queues: list[str]) -> None:
        now = self._clock.now()
        insert = upsert_insert(conn, schedule_queues)
        statement = insert.on_conflict_do_update(
            index_elements=["region", "queue"], set_={"updated_at": insert.excluded.updated_at}
        )
        await conn.execute(
            statement, [{"region": region, "queue": queue, "updated_at": now} for queue in queues]
        )

    async def _delete_days(self, conn: AsyncConnection, region: str, keys: list[_Key]) -> None:
        statement = delete(schedule_days).where(
            schedule_days.c.region == region,
            schedule_days.c.queue == bindparam("gone_queue"),
            schedule_days.c.day == bindparam("gone_day"),
        )
        await conn.execute(statement, [{"gone_queue": q, "gone_day": d} for q, d in keys])

    async def _upsert_days(
        self,
        conn: AsyncConnection,
        region: str,
        days: Mapping[_Key, DaySchedule],
        stored: Mapping[_Key, _StoredDay],
    ) -> None:
        now = self._clock.now()
        rows = [
            {
                "region": region,
                "queue": queue,
                "day": day,
                "state": schedule.state.value,
                "outages": _spans_json(schedule.outages),
                "possible": _spans_json(schedule.possible),
                "fingerprint": fingerprint(schedule),
                "updated_at": now,
                "revision": _revision(stored.get((queue, day))) + 1,
            }
            for (queue, day), schedule in days.items()
        ]
        insert = upsert_insert(conn, schedule_days)
        columns = ("state", "outages", "possible", "fingerprint", "updated_at", "revision")
        statement = insert.on_conflict_do_update(
            index_elements=["region", "queue", "day"],
            set_={name: insert.excluded[name] for name in columns},
        )
        await conn.execute(statement, rows)
