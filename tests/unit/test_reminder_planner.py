"""The reminder planner over fakes: what it plans, when it plans again, how it fails and runs."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.documents import SourceKind
from esvitlo.domain.model import DaySchedule, DayState, RegionSnapshot, Span
from esvitlo.domain.reminder_alerts import QueueReminders
from esvitlo.ports import RegionCheck, ReminderOutcome
from esvitlo.services.reminders import ReminderPlanner

FEED = Source(SourceKind.DTEK, "http://127.0.0.1/kyiv.json")  # a region with a schedule
KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (FEED,))
DNIPRO = Region("dnipro", "Дніпро", "Dnipro", "Europe/Kyiv", (FEED,))
D = date(2025, 11, 20)
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)  # 11:00 in Kyiv
OUTAGE = DaySchedule(D, DayState.PUBLISHED, (Span(12 * 60, 14 * 60),))


class Clock:
    """A fixed clock whose sleeps are short real ones, recorded."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def now(self) -> datetime:
        return NOW

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0.001)


class FakeReminders:
    """ports.ReminderStore in memory: applies plans whose basis matches the schedule store."""

    def __init__(self, schedules: MemoryScheduleStore, queues: Mapping[str, Sequence[str]]):
        self.schedules = schedules
        self.queues = queues
        self.applied: list[QueueReminders] = []
        self.refused = 0
        self.broken: set[str] = set()
        self.before_apply: list[DaySchedule] = []  # days stored just before the next apply

    async def reminder_queues(self) -> Mapping[str, Sequence[str]]:
        return self.queues

    async def apply_reminders(self, plans: Sequence[QueueReminders]) -> ReminderOutcome:
        outcome = ReminderOutcome()
        for plan in plans:
            if plan.region in self.broken:
                raise ConnectionError("database went away")
            if self.before_apply:
                days = {day.date: day for day in self.before_apply}
                await self.schedules.save(plan.region, {plan.queue: days})
                self.before_apply = []
            stored = ((await self.schedules.load(plan.region)) or {}).get(plan.queue, {})
            if {d: fingerprint(day) for d, day in stored.items()} != plan.basis:
                self.refused += 1
                stale = (*outcome.stale, (plan.region, plan.queue))
                outcome = ReminderOutcome(outcome.queued, outcome.withdrawn, stale)
                continue
            self.applied.append(plan)
            outcome = ReminderOutcome(outcome.queued + len(plan.upcoming), outcome.withdrawn)
        return outcome


@pytest.fixture
async def schedules() -> MemoryScheduleStore:
    store = MemoryScheduleStore()
    await store.save("kyiv", {"3.1": {D: OUTAGE}, "4.1": {}})
    return store


def planner_for(store: FakeReminders, clock: Clock | None = None) -> ReminderPlanner:
    return ReminderPlanner(
        [KYIV, DNIPRO], store.schedules, store, clock or Clock(), window=timedelta(hours=2)
    )


async def test_each_named_queue_is_planned_from_its_stored_days(schedules):
    store = FakeReminders(schedules, {"kyiv": ["3.1", "4.1", "9.9"], "atlantis": ["1"]})
    outcome = await planner_for(store).run_once()
    by_queue = {plan.queue: plan for plan in store.applied}
    assert sorted(by_queue) == ["3.1", "4.1", "9.9"]  # the unknown region is skipped
    leads = {(a.reminder.edge.value, a.reminder.lead) for a in by_queue["3.1"].upcoming}
    # at 11:00, for 12:00-14:00 within two hours: the hour before 12:00 is now, not ahead
    assert leads == {("off", 30), ("off", 15), ("off", 10), ("off", 5), ("off", 0), ("on", 60)}
    assert ("off", 60) in {
        (a.reminder.edge.value, a.reminder.lead) for a in by_queue["3.1"].standing
    }
    assert by_queue["4.1"].standing == () and by_queue["9.9"].basis == {}
    assert outcome == ReminderOutcome(queued=6)


async def test_a_plan_refused_as_stale_is_made_again_from_the_new_days(schedules):
    store = FakeReminders(schedules, {"kyiv": ["3.1"]})
    store.before_apply = [DaySchedule(D, DayState.PUBLISHED, (Span(13 * 60, 14 * 60),))]
    planner = planner_for(store)
    await planner.run_once()
    assert store.refused == 1
    [plan] = store.applied
    assert {a.reminder.outage.start.hour for a in plan.standing} == {11}  # 13:00 in Kyiv
    assert planner.stats.stale == 0


async def test_a_queue_always_stale_is_given_up_after_the_attempts(schedules, monkeypatch):
    store = FakeReminders(schedules, {"kyiv": ["3.1"]})
    monkeypatch.setattr(store, "apply_reminders", _always_stale)
    planner = planner_for(store)
    assert (await planner.run_once()).stale == (("kyiv", "3.1"),)
    assert planner.stats.stale == 1 and planner.stats.failures == 0


async def _always_stale(plans: Sequence[QueueReminders]) -> ReminderOutcome:
    return ReminderOutcome(stale=tuple((plan.region, plan.queue) for plan in plans))


async def test_a_failing_region_does_not_stop_the_others(schedules):
    await schedules.save("dnipro", {"1.1": {D: OUTAGE}})
    store = FakeReminders(schedules, {"dnipro": ["1.1"], "kyiv": ["3.1"]})
    store.broken = {"dnipro"}
    planner = planner_for(store)
    await planner.run_once()
    assert [plan.region for plan in store.applied] == ["kyiv"]
    assert planner.stats.failures == 1
    assert planner.stats.last_error == "ConnectionError: database went away"


async def test_a_check_of_a_region_replans_its_queues_and_never_raises(schedules):
    store = FakeReminders(schedules, {"kyiv": ["3.1"], "dnipro": ["1.1"]})
    planner = planner_for(store)
    check = RegionCheck("kyiv", RegionSnapshot("kyiv", KYIV.tz, {}), {}, False, "url")
    await planner.region_checked(check)
    assert [(plan.region, plan.queue) for plan in store.applied] == [("kyiv", "3.1")]
    store.broken = {"kyiv"}
    await planner.region_checked(check)  # logged, not raised into the schedule watch


async def test_runs_repeat_every_interval_until_stopped(schedules):
    store = FakeReminders(schedules, {"kyiv": ["3.1"]})
    clock = Clock()
    planner = planner_for(store, clock)
    await planner.start()
    await planner.start()  # no second loop
    async with asyncio.timeout(2):
        while planner.stats.runs < 3:
            await asyncio.sleep(0.001)
    await planner.stop()
    await planner.stop()
    assert not planner.running
    assert all(55 < seconds <= 60 for seconds in clock.slept)
    assert len(store.applied) == planner.stats.runs


def test_bad_settings_are_refused(schedules):
    store = FakeReminders(schedules, {})
    with pytest.raises(ValueError, match="positive"):
        ReminderPlanner([KYIV], schedules, store, Clock(), interval=0)
