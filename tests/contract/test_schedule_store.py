"""Contract: the SQL schedule store keeps days exactly as ports.ScheduleStore promises."""

from __future__ import annotations

from datetime import date

from sql_backends import StepClock
from sqlalchemy import select

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import schedule_days
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.model import DaySchedule, DayState, Span

TODAY = date(2025, 11, 9)
TOMORROW = date(2025, 11, 10)
DAY_AFTER = date(2025, 11, 11)

PUBLISHED = DaySchedule(TODAY, DayState.PUBLISHED, (Span(0, 90), Span(1320, 1440)))
PENDING = DaySchedule(TOMORROW, DayState.PENDING, possible=(Span(480, 720), Span(1200, 1440)))
EMERGENCY = DaySchedule(TODAY, DayState.EMERGENCY, (Span(600, 630),), (Span(0, 30),))
EMPTY = DaySchedule(TOMORROW, DayState.PUBLISHED)


async def test_a_region_never_stored_loads_as_none(storage: SqlStorage):
    assert await storage.schedules.load("kyiv") is None
    await storage.schedules.save("dnipro", {"1.1": {TODAY: PUBLISHED}})
    assert await storage.schedules.load("kyiv") is None


async def test_days_round_trip_with_states_and_possible_spans(storage: SqlStorage):
    queues = {
        "3.1": {TODAY: PUBLISHED, TOMORROW: PENDING},
        "3.2": {TODAY: EMERGENCY, TOMORROW: EMPTY},
        "1001.1": {},
    }
    await storage.schedules.save("kyiv", queues)
    assert await storage.schedules.load("kyiv") == queues


async def test_save_replaces_days_of_given_queues_and_keeps_other_queues(
    storage: SqlStorage, clock: StepClock
):
    await storage.schedules.save("kyiv", {"3.1": {TODAY: PUBLISHED}, "3.2": {TODAY: EMERGENCY}})
    clock.advance(days=1)
    tomorrow_published = DaySchedule(TOMORROW, DayState.PUBLISHED, (Span(60, 120),))
    day_after = DaySchedule(DAY_AFTER, DayState.PENDING)
    await storage.schedules.save(
        "kyiv", {"3.1": {TOMORROW: tomorrow_published, DAY_AFTER: day_after}}
    )
    assert await storage.schedules.load("kyiv") == {
        "3.1": {TOMORROW: tomorrow_published, DAY_AFTER: day_after},
        "3.2": {TODAY: EMERGENCY},
    }
    await storage.schedules.save("kyiv", {"3.2": {}})
    assert await storage.schedules.load("kyiv") == {
        "3.1": {TOMORROW: tomorrow_published, DAY_AFTER: day_after},
        "3.2": {},
    }


async def test_rows_carry_the_fingerprint_and_only_changed_days_are_rewritten(
    storage: SqlStorage, clock: StepClock
):
    await storage.schedules.save("kyiv", {"3.1": {TODAY: PUBLISHED, TOMORROW: PENDING}})
    first = clock.now()
    clock.advance(minutes=5)
    changed = DaySchedule(TODAY, DayState.PUBLISHED, (Span(0, 120),))
    await storage.schedules.save("kyiv", {"3.1": {TODAY: changed, TOMORROW: PENDING}})
    query = select(schedule_days.c.day, schedule_days.c.fingerprint, schedule_days.c.updated_at)
    async with storage.engine.connect() as conn:
        rows = {row.day: row for row in await conn.execute(query)}
    assert rows[TODAY].fingerprint == fingerprint(changed)
    assert rows[TODAY].updated_at == clock.now()
    assert rows[TOMORROW].fingerprint == fingerprint(PENDING)
    assert rows[TOMORROW].updated_at == first


async def test_behaves_like_the_memory_store(storage: SqlStorage):
    memory = MemoryScheduleStore()
    steps = [
        ("kyiv", {"3.1": {TODAY: PUBLISHED}}),
        ("kyiv", {"3.1": {TODAY: PUBLISHED, TOMORROW: PENDING}, "4.1": {}}),
        ("dnipro", {"1001.1": {TODAY: EMERGENCY}}),
        ("kyiv", {"3.1": {TOMORROW: EMPTY}}),
        ("kyiv", {}),
    ]
    for region, queues in steps:
        await memory.save(region, queues)
        await storage.schedules.save(region, queues)
        for name in ("kyiv", "dnipro", "odesa"):
            assert await storage.schedules.load(name) == await memory.load(name)
