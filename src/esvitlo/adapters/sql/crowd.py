"""The crowd signal in SQL: one ``GROUP BY`` over every monitor, episodes, and alert planning.

The counts read the monitors' stored state, which every instance's power watch keeps, so
they are exact across instances. They count distinct users, not monitors. Alerts are one
``INSERT … SELECT`` over the queue's subscribers who want them (``notification_settings.
crowd``; NULL or no settings row: on unless the user has a monitor of their own) and one
over the active channels linked to the queue, in the same transaction as the episode.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.change_plans import followers_select, insert_rows, outbox_row
from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    channels,
    crowd_episodes,
    monitors,
    notification_settings,
    subscriptions,
    users,
)
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.crowd import CrowdCount, CrowdStatus, Episode, MemberState
from esvitlo.domain.crowd_render import CROWD_KIND, CrowdAlert, EpisodeMove
from esvitlo.domain.delivery import PRIORITY_EMERGENCY, PRIORITY_TODAY
from esvitlo.domain.power import Power
from esvitlo.ports import Clock

_ON, _OFF = Power.ON.value, Power.OFF.value


def _users_where(condition: Any) -> Any:
    return func.count(func.distinct(case((condition, monitors.c.user_id))))


def counts_query(fresh_since: Any) -> Any:
    """Per (region, queue): users, known, on, off, fresh off, newest change."""
    power = monitors.c.power
    return (
        select(
            subscriptions.c.region,
            subscriptions.c.queue,
            func.count(func.distinct(monitors.c.user_id)).label("users"),
            _users_where(power.in_((_ON, _OFF))).label("known"),
            _users_where(power == _ON).label("on"),
            _users_where(power == _OFF).label("off"),
            _users_where(and_(power == _OFF, monitors.c.since >= fresh_since)).label("fresh_off"),
            func.max(monitors.c.since).label("since"),
        )
        .select_from(monitors.join(subscriptions, subscriptions.c.id == monitors.c.subscription_id))
        .group_by(subscriptions.c.region, subscriptions.c.queue)
    )


def _payload(texts: dict[str, str], language: Any) -> Any:
    def encoded(lang: str) -> Any:
        return literal(json.dumps({"text": texts[lang]}, ensure_ascii=False, sort_keys=True))

    return case((func.lower(language).like("en%"), encoded("en")), else_=encoded("uk"))


def _wants_crowd() -> Any:
    """The user's crowd setting, or the default: on unless they have a monitor."""
    own_monitor = exists().where(monitors.c.user_id == users.c.id)
    return or_(
        notification_settings.c.crowd == true(),
        and_(notification_settings.c.crowd.is_(None), ~own_monitor),
    )


def _priority(alert: CrowdAlert) -> int:
    """Unscheduled outages as emergency ones; earlier / later than planned as today's news."""
    return PRIORITY_TODAY if alert.edge.about_plan else PRIORITY_EMERGENCY


def _user_rows(alert: CrowdAlert, now: Any) -> Any:
    """Subscribers who want it: crowd alerts (or their default), or early / late on request."""
    chat = users.c.telegram_id
    payload = _payload(alert.texts, users.c.language)
    row = outbox_row(
        chat, CROWD_KIND, alert.topic, alert.key_prefix, payload, _priority(alert), now
    )
    wants = (
        notification_settings.c.crowd_plan == true() if alert.edge.about_plan else _wants_crowd()
    )
    return followers_select(row, alert.region, alert.queue, wants)


def _channel_rows(alert: CrowdAlert, now: Any) -> Any:
    chat = channels.c.chat_id
    payload = _payload(alert.texts, users.c.language)
    row = outbox_row(
        chat, CROWD_KIND, alert.topic, alert.key_prefix, payload, PRIORITY_EMERGENCY, now
    )
    return (
        select(*row)
        .select_from(
            channels.join(subscriptions, subscriptions.c.id == channels.c.subscription_id).join(
                users, users.c.id == channels.c.owner_user_id
            )
        )
        .where(
            subscriptions.c.region == alert.region,
            subscriptions.c.queue == alert.queue,
            channels.c.status == ChannelStatus.ACTIVE.value,
        )
    )


class SqlCrowdStore:
    """ports.CrowdStore on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def counts(self, fresh_since: Any) -> list[CrowdCount]:
        """Every queue with monitors, counted by distinct users in one aggregation."""
        statement = counts_query(literal(fresh_since, UtcDateTime()))
        async with self._engine.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return [
            CrowdCount(
                row.region,
                row.queue,
                row.users,
                row.known,
                row.on,
                row.off,
                row.fresh_off,
                row.since,
            )
            for row in rows
        ]

    async def members(self, region: str, queue: str) -> list[MemberState]:
        """Every monitor of the queue: owner, power, pending change."""
        statement = (
            select(monitors.c.user_id, monitors.c.power, monitors.c.pending)
            .select_from(
                monitors.join(subscriptions, subscriptions.c.id == monitors.c.subscription_id)
            )
            .where(subscriptions.c.region == region, subscriptions.c.queue == queue)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(statement)).all()
        return [
            MemberState(row.user_id, Power(row.power), Power(row.pending) if row.pending else None)
            for row in rows
        ]

    async def episodes(self) -> dict[tuple[str, str], Episode]:
        """The stored episodes of queues that are not quiet."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(crowd_episodes))).all()
        return {
            (row.region, row.queue): Episode(
                CrowdStatus(row.status), row.since, row.started_at, row.planned_end
            )
            for row in rows
        }

    async def save(self, moves: Sequence[EpisodeMove]) -> int:
        """Store the moved episodes (a quiet one is deleted) and queue their alerts, in one
        transaction: a pass's many small writes cost one commit."""
        if not moves:
            return 0
        now = self._clock.now()
        queued = 0
        async with self._engine.begin() as conn:
            for move in moves:
                await _store_episode(conn, move.region, move.queue, move.episode, now)
                alert = move.alert
                if alert is not None:
                    queued += await insert_rows(conn, _user_rows(alert, now))
                if alert is not None and not alert.edge.about_plan:  # channels: unscheduled only
                    queued += await insert_rows(conn, _channel_rows(alert, now))
        return queued


async def _store_episode(
    conn: AsyncConnection, region: str, queue: str, episode: Episode, now: Any
) -> None:
    where = (crowd_episodes.c.region == region) & (crowd_episodes.c.queue == queue)
    if episode.status is CrowdStatus.QUIET or episode.since is None:
        await conn.execute(delete(crowd_episodes).where(where))
        return
    values = {
        "status": episode.status.value,
        "since": episode.since,
        "started_at": episode.started_at or episode.since,
        "planned_end": episode.planned_end,
        "updated_at": now,
    }
    insert = upsert_insert(conn, crowd_episodes).values(region=region, queue=queue, **values)
    await conn.execute(
        insert.on_conflict_do_update(index_elements=["region", "queue"], set_=values)
    )
