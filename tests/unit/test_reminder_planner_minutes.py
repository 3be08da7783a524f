"""The reminder planner between full passes: a minute plans only the queues whose wanted
reminders enter the window, come due or expire, or whose days changed."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.documents import SourceKind
from esvitlo.domain.model import DaySchedule, DayState, RegionSnapshot, Span
from esvitlo.domain.reminder_alerts import Lead, QueueReminders
from esvitlo.domain.reminders import Edge
from esvitlo.ports import RegionCheck, ReminderOutcome
from esvitlo.services.reminders import ReminderPlanner

KYIV = Region(
    "kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "http://127.0.0.1/"),)
)
D = date(2025, 11, 20)
OFF_15 = frozenset({(Edge.OFF, 15)})


def kyiv(clock: str) -> datetime:
    h, m = (int(part) for part in clock.split(":"))
    return datetime(2025, 11, 20, h - 2, m, tzinfo=UTC)  # Kyiv is UTC+2 in November


def outage(start: int, end: int) -> DaySchedule:
    return DaySchedule(D, DayState.PUBLISHED, (Span(start * 60, end * 60),))


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)


class Reminders:
    """ports.ReminderStore in memory: records each applied queue, reports ``leads`` wanted."""

    def __init__(self, queues: Mapping[str, Sequence[str]], leads: frozenset[Lead]) -> None:
        self.queues = queues
        self.leads = leads
        self.applied: list[str] = []
        self.asked = 0

    async def reminder_queues(self) -> Mapping[str, Sequence[str]]:
        self.asked += 1
        return self.queues

    async def apply_reminders(self, plans: Sequence[QueueReminders]) -> ReminderOutcome:
        self.applied += [plan.queue for plan in plans]
        wanted = tuple((plan.region, plan.queue, self.leads) for plan in plans)
        return ReminderOutcome(wanted=wanted)


async def rig(
    leads: frozenset[Lead] = OFF_15,
) -> tuple[ReminderPlanner, Reminders, Clock, MemoryScheduleStore]:
    schedules = MemoryScheduleStore()
    await schedules.save("kyiv", {"3.1": {D: outage(12, 14)}, "4.1": {D: outage(18, 20)}})
    store = Reminders({"kyiv": ["3.1", "4.1"]}, leads)
    clock = Clock(kyiv("11:00"))
    planner = ReminderPlanner(
        [KYIV], schedules, store, clock, window=timedelta(hours=3), full_every=timedelta(hours=1)
    )
    return planner, store, clock, schedules


async def minutes(planner: ReminderPlanner, store: Reminders, clock: Clock, until: str) -> dict:
    """Run once a minute up to ``until``; the queues planned at each Kyiv minute."""
    planned: dict[str, list[str]] = {}
    while clock.at < kyiv(until):
        clock.at += timedelta(minutes=1)
        store.applied = []
        await planner.run_once()
        if store.applied:
            planned[f"{clock.at + timedelta(hours=2):%H:%M}"] = store.applied
    return planned


async def test_between_full_passes_a_minute_plans_only_the_queues_with_something_due():
    planner, store, clock, _ = await rig()
    await planner.run_once()  # the full pass at 11:00
    assert store.applied == ["3.1", "4.1"] and store.asked == 1
    assert await minutes(planner, store, clock, "12:00") == {
        "11:44": ["3.1"],  # the last look before 11:45 ...
        "11:45": ["3.1"],  # ... and at it
        "11:53": ["3.1"],  # expired (7.5 minutes late)
        "12:00": ["3.1", "4.1"],  # the hour's full pass
    }
    assert store.asked == 2


async def test_a_reminder_entering_the_window_is_planned_at_that_minute():
    planner, store, clock, _ = await rig()
    await planner.run_once()
    clock.at = kyiv("14:40")
    await planner.run_once()  # a full pass (an hour went by)
    planned = await minutes(planner, store, clock, "14:50")
    assert planned == {"14:45": ["4.1"]}  # 17:45 is three hours ahead


async def test_a_queue_nobody_wants_reminders_of_keeps_the_newcomers_lead_time_looked_at():
    planner, store, clock, _ = await rig(leads=frozenset())
    await planner.run_once()
    # a queue nobody wants reminders of still gets the newcomers' 15 minutes looked at
    assert await minutes(planner, store, clock, "11:50") == {
        "11:44": ["3.1"],
        "11:45": ["3.1"],
    }


async def test_a_check_replans_the_queues_whose_days_changed_only():
    planner, store, clock, schedules = await rig()
    await planner.run_once()
    clock.at = kyiv("11:10")
    await schedules.save("kyiv", {"4.1": {D: outage(19, 20)}})
    store.applied = []
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {})
    await planner.region_checked(RegionCheck("kyiv", snapshot, {}, False, "url"))
    assert store.applied == ["4.1"]
    store.applied = []
    await planner.region_checked(RegionCheck("kyiv", snapshot, {}, False, "url"))
    assert store.applied == []


async def test_a_start_begins_with_a_full_pass_as_leadership_may_have_moved_meanwhile():
    planner, store, clock, _ = await rig()
    await planner.run_once()
    clock.at = kyiv("11:05")
    await planner.start()
    async with asyncio.timeout(2):
        while planner.stats.runs < 2:
            await asyncio.sleep(0.001)
    await planner.stop()
    assert store.asked == 2 and planner.stats.full_passes == 2
