"""The queues' monitor histories for plan versus fact: one streamed read, queue by queue.

Only queues with at least ``min_users`` distinct users' monitors are read (a ``HAVING`` in
SQL), so a queue below the privacy floor costs nothing and is never seen. Outages are the
ones overlapping the window (``started_at < until`` and not ended before ``since``), found
through ``ix_power_outages_monitor_id_started_at``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.tables import monitors, power_outages, subscriptions
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.plan_fact import MonitorHistory, QueueHistory

PART_ROWS = 5000


def _queues_with_enough_users(min_users: int, until: Any, region: str | None) -> Any:
    query = (
        select(subscriptions.c.region, subscriptions.c.queue)
        .select_from(monitors.join(subscriptions, subscriptions.c.id == monitors.c.subscription_id))
        .where(monitors.c.created_at < until)
        .group_by(subscriptions.c.region, subscriptions.c.queue)
        .having(func.count(func.distinct(monitors.c.user_id)) >= min_users)
    )
    if region is not None:
        query = query.where(subscriptions.c.region == region)
    return query


class SqlCrowdHistory:
    """ports.CrowdHistory on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def histories(
        self, since: datetime, until: datetime, min_users: int, region: str | None = None
    ) -> AsyncIterator[QueueHistory]:
        """Every queue with ``min_users`` users' monitors created before ``until``, one at a
        time: each monitor's owner, creation and outages overlapping ``[since, until)``."""
        statement = _history_query(since, until, min_users, region)
        queue: tuple[str, str] | None = None
        found: list[MonitorHistory] = []
        monitor: tuple[int, int, datetime] | None = None  # id, user, created
        outages: list[PowerOutage] = []
        async with self._engine.connect() as conn:
            # streamed in parts: memory holds one queue, and the event loop is never held long
            async for rows in (await conn.stream(statement)).partitions(PART_ROWS):
                for row in rows:
                    if monitor is not None and monitor[0] != row.id:
                        found.append(MonitorHistory(monitor[1], monitor[2], tuple(outages)))
                        monitor, outages = None, []
                    if queue is not None and queue != (row.region, row.queue):
                        yield QueueHistory(*queue, tuple(found))
                        found = []
                    queue = row.region, row.queue
                    monitor = monitor or (row.id, row.user_id, row.created_at)
                    if row.started_at is not None:
                        outages.append(PowerOutage(row.started_at, row.ended_at, row.start_exact))
        if monitor is not None:
            found.append(MonitorHistory(monitor[1], monitor[2], tuple(outages)))
        if queue is not None:
            yield QueueHistory(*queue, tuple(found))


def _history_query(since: datetime, until: datetime, min_users: int, region: str | None) -> Any:
    """Monitors of the queues with enough users, each with its outages in the window (none:
    one row of NULLs), ordered by queue, monitor and start."""
    since_value, until_value = literal(since, UtcDateTime()), literal(until, UtcDateTime())
    enough = _queues_with_enough_users(min_users, until_value, region).subquery()
    in_window = and_(
        power_outages.c.monitor_id == monitors.c.id,
        power_outages.c.started_at < until_value,
        or_(power_outages.c.ended_at.is_(None), power_outages.c.ended_at > since_value),
    )
    joined = (
        monitors.join(subscriptions, subscriptions.c.id == monitors.c.subscription_id)
        .join(
            enough,
            (enough.c.region == subscriptions.c.region) & (enough.c.queue == subscriptions.c.queue),
        )
        .outerjoin(power_outages, in_window)
    )
    return (
        select(
            subscriptions.c.region,
            subscriptions.c.queue,
            monitors.c.id,
            monitors.c.user_id,
            monitors.c.created_at,
            power_outages.c.started_at,
            power_outages.c.ended_at,
            power_outages.c.start_exact,
        )
        .select_from(joined)
        .where(monitors.c.created_at < until_value)
        .order_by(
            subscriptions.c.region,
            subscriptions.c.queue,
            monitors.c.id,
            power_outages.c.started_at,
        )
    )
