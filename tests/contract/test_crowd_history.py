"""Contract: the monitor histories plan versus fact reads, on every backend: only queues with
enough distinct users, only monitors made before the window's end, only the outages that
overlap the window (an open one included)."""

from __future__ import annotations

from datetime import timedelta

from sql_backends import START
from sqlalchemy import insert, update
from test_change_planning import subscriber
from test_power_store import probe_monitor

from esvitlo.adapters.sql.plan_fact import SqlCrowdHistory
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors, power_outages
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.plan_fact import QueueHistory

HOUR = timedelta(hours=1)


async def _outage(storage: SqlStorage, monitor_id: int, start, end) -> None:
    async with storage.engine.begin() as conn:
        await conn.execute(
            insert(power_outages).values(monitor_id=monitor_id, started_at=start, ended_at=end)
        )


async def read(storage: SqlStorage, *args) -> list[QueueHistory]:
    return [found async for found in SqlCrowdHistory(storage.engine).histories(*args)]


async def _created(storage: SqlStorage, monitor_id: int, at) -> None:
    async with storage.engine.begin() as conn:
        await conn.execute(
            update(monitors).where(monitors.c.id == monitor_id).values(created_at=at)
        )


async def test_histories_of_queues_with_enough_users_and_outages_in_the_window(
    storage: SqlStorage,
):
    since, until = START + 24 * HOUR, START + 48 * HOUR
    a = await probe_monitor(storage, 1, "8.8.8.8")
    a2 = await probe_monitor(storage, 1, "8.8.4.4")  # one home, two monitors
    b = await probe_monitor(storage, 2)
    c = await probe_monitor(storage, 3)
    late = await probe_monitor(storage, 6)
    await _created(storage, late.id, until + HOUR)  # made after the window: not read
    for telegram_id in (4, 5):  # queue 4.1 has two users: below the floor, never read
        await subscriber(storage, telegram_id, queue="4.1")
        await probe_monitor(storage, telegram_id)
    await _outage(storage, a.id, START, START + HOUR)  # before the window
    await _outage(storage, a.id, since - HOUR, since + HOUR)  # across its start
    await _outage(storage, a2.id, since + 2 * HOUR, None)  # still going on
    await _outage(storage, b.id, until, until + HOUR)  # after it
    await _outage(storage, c.id, since + 3 * HOUR, since + 4 * HOUR)
    await _outage(storage, c.id, since + 5 * HOUR, since + 6 * HOUR)
    others = []
    for telegram_id in (7, 8, 9):  # a second queue with enough users
        await subscriber(storage, telegram_id, queue="5.1")
        others.append(await probe_monitor(storage, telegram_id))
    await _outage(storage, others[0].id, since, since + HOUR)

    found = await read(storage, since, until, 3)
    assert [(h.region, h.queue) for h in found] == [("kyiv", "3.1"), ("kyiv", "5.1")]
    assert [(m.user_id, m.created_at, m.outages) for m in found[0].monitors] == [
        (a.user_id, START, (PowerOutage(since - HOUR, since + HOUR),)),
        (a2.user_id, START, (PowerOutage(since + 2 * HOUR, None),)),
        (b.user_id, START, ()),
        (
            c.user_id,
            START,
            (
                PowerOutage(since + 3 * HOUR, since + 4 * HOUR),
                PowerOutage(since + 5 * HOUR, since + 6 * HOUR),
            ),
        ),
    ]
    assert [m.outages for m in found[1].monitors] == [(PowerOutage(since, since + HOUR),), (), ()]
    assert await read(storage, since, until, 3, "dnipro") == []
    assert await read(storage, since, until, 4) == []
