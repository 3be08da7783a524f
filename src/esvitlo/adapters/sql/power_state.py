"""The power watch's side of monitors in SQL: who hears of each, state saves, heartbeats.

A save is a compare-and-set on ``state_version``: when two instances briefly probe the same
monitor (the assignment is moving), only one of them records a transition and its alerts.
The outage history follows the saved state in the same transaction: an ``off`` state has
one open outage from ``since``; an ``on`` state closes it at ``since``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.monitors import monitor_from_row, state_values
from esvitlo.adapters.sql.tables import (
    channels,
    monitors,
    outbox,
    power_outages,
    subscriptions,
    users,
)
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.delivery import PRIORITY_POWER, OutboxStatus
from esvitlo.domain.monitors import MonitorKind, PowerMessage, WatchedMonitor
from esvitlo.domain.power import Power, PowerState, Transition
from esvitlo.ports import Clock

POWER_KIND = "power"


def power_topic(monitor_id: int) -> str:
    """The outbox topic of a monitor's alerts."""
    return f"power:{monitor_id}"


def _watched_query() -> Any:
    channel_join = and_(
        channels.c.subscription_id == monitors.c.subscription_id,
        channels.c.owner_user_id == monitors.c.user_id,
        channels.c.status == ChannelStatus.ACTIVE.value,
        monitors.c.notify_channel,
    )
    return (
        select(
            monitors,
            users.c.telegram_id,
            users.c.active,
            users.c.language,
            subscriptions.c.region,
            subscriptions.c.queue,
            subscriptions.c.label,
            channels.c.chat_id.label("channel_chat_id"),
        )
        .select_from(
            monitors.join(users, users.c.id == monitors.c.user_id)
            .outerjoin(subscriptions, subscriptions.c.id == monitors.c.subscription_id)
            .outerjoin(channels, channel_join)
        )
        .order_by(monitors.c.id)
    )


class SqlPowerStore:
    """ports.PowerStore on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def watched(self) -> list[tuple[WatchedMonitor, int]]:
        """Every monitor with its owner's chat, address, linked channels and state version."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(_watched_query())).all()
        found: dict[int, tuple[WatchedMonitor, int]] = {}
        for row in rows:
            known = found.get(row.id)
            if known is not None:
                watched, version = known
                chats = (*watched.channel_chat_ids, row.channel_chat_id)
                found[row.id] = (_with_channels(watched, chats), version)
                continue
            monitor = monitor_from_row(row)
            watched = WatchedMonitor(
                monitor=monitor,
                chat_id=row.telegram_id if row.active and monitor.notify_user else None,
                language=row.language,
                region=row.region,
                queue=row.queue,
                label=row.label or "",
                channel_chat_ids=(row.channel_chat_id,) if row.channel_chat_id else (),
            )
            found[row.id] = (watched, row.state_version)
        return list(found.values())

    async def save(
        self,
        monitor_id: int,
        version: int,
        state: PowerState,
        transition: Transition | None = None,
        messages: Sequence[PowerMessage] = (),
    ) -> bool:
        """Store the state if still at ``version``, with its outage history and messages."""
        statement = (
            update(monitors)
            .where(monitors.c.id == monitor_id, monitors.c.state_version == version)
            .values(**state_values(state), state_version=version + 1)
        )
        async with self._engine.begin() as conn:
            if (await conn.execute(statement)).rowcount == 0:
                return False
            await _follow_outages(conn, monitor_id, state)
            if transition is not None and messages:
                await self._queue(conn, monitor_id, transition, messages)
        return True

    async def _queue(
        self,
        conn: AsyncConnection,
        monitor_id: int,
        transition: Transition,
        messages: Sequence[PowerMessage],
    ) -> None:
        now = self._clock.now()
        event = f"{power_topic(monitor_id)}:{transition.power.value}:{transition.at.isoformat()}"
        rows = [
            {
                "chat_id": message.chat_id,
                "kind": POWER_KIND,
                "topic": power_topic(monitor_id),
                "idempotency_key": f"{event}:{message.chat_id}",
                "payload": {"text": message.text},
                "status": OutboxStatus.PENDING.value,
                "priority": PRIORITY_POWER,
                "due_at": now,
                "attempts": 0,
                "created_at": now,
            }
            for message in messages
        ]
        insert = upsert_insert(conn, outbox).values(rows)
        await conn.execute(insert.on_conflict_do_nothing(index_elements=["idempotency_key"]))

    async def record_beat(self, secret_hash: str, at: datetime) -> bool:
        """Note a heartbeat on the monitor whose secret has this hash; False when there is none."""
        statement = (
            update(monitors)
            .where(
                monitors.c.secret_hash == secret_hash,
                monitors.c.kind == MonitorKind.HEARTBEAT.value,
            )
            .values(last_beat_at=at)
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(statement)).rowcount > 0


def _with_channels(watched: WatchedMonitor, chats: tuple[int | None, ...]) -> WatchedMonitor:
    return replace(watched, channel_chat_ids=tuple(chat for chat in chats if chat))


async def _follow_outages(conn: AsyncConnection, monitor_id: int, state: PowerState) -> None:
    """Open an outage for an ``off`` state that has none; close the open one when ``on``."""
    is_open = (power_outages.c.monitor_id == monitor_id) & power_outages.c.ended_at.is_(None)
    if state.power is Power.OFF and state.since is not None:
        open_id = (await conn.execute(select(power_outages.c.id).where(is_open))).first()
        if open_id is None:
            await conn.execute(
                power_outages.insert().values(
                    monitor_id=monitor_id, started_at=state.since, start_exact=state.since_exact
                )
            )
    elif state.power is Power.ON and state.since is not None:
        await conn.execute(update(power_outages).where(is_open).values(ended_at=state.since))
