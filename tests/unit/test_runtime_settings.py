"""Run-time settings: the bounds are the environment's, a change reaches every instance
through the cluster events, a stored value wins at start, and the watches take a new value
on their next cycle."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from esvitlo.adapters.memory_coordinator import MemoryCoordinationHub, MemoryCoordinator
from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.catalogue import Region
from esvitlo.domain.power import Debounce
from esvitlo.domain.runtime_settings import (
    FLAG_PREFIX,
    RULES,
    InvalidSetting,
    RuntimeValues,
    rule_for,
)
from esvitlo.ports import ReminderOutcome
from esvitlo.services.cluster_events import ClusterEvents
from esvitlo.services.power_watch import PowerWatch
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.runtime_settings import RuntimeSettings
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.settings import Settings

from step_clock import StepClock

ENV = RuntimeValues(
    poll_interval=300.0,
    probe_interval=30.0,
    reminder_interval=60.0,
    power_off_after=3,
    power_on_after=2,
)


class MemoryFlags:
    """ports.AppFlags over a dict (shared by the instances of a test, like the table)."""

    def __init__(self, rows: dict[str, str] | None = None) -> None:
        self.rows = rows if rows is not None else {}

    async def get(self, name: str) -> str | None:
        return self.rows.get(name)

    async def set(self, name: str, value: str | None) -> None:
        if value is None:
            self.rows.pop(name, None)
        else:
            self.rows[name] = value


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("poll_interval", "120", 120.0),
        ("POLL_INTERVAL", " 0,5 ", 0.5),
        ("probe_interval", "1", 1.0),
        ("reminder_interval", "60", 60.0),
        ("power_off_after", "4", 4),
        ("power_on_after", "20", 20),
        ("power_on_after", "3.0", 3),
    ],
)
def test_values_within_bounds_are_taken(name: str, text: str, value: float):
    parsed = rule_for(name).parse(text)
    assert parsed == value and type(parsed) is type(value)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("poll_interval", "0", "out_of_bounds"),
        ("poll_interval", "-5", "out_of_bounds"),
        ("poll_interval", "soon", "not_a_number"),
        ("poll_interval", "nan", "not_a_number"),
        ("poll_interval", "inf", "not_a_number"),
        ("probe_interval", "0.5", "out_of_bounds"),
        ("power_off_after", "0", "out_of_bounds"),
        ("power_off_after", "21", "out_of_bounds"),
        ("power_off_after", "2.5", "not_whole"),
        ("leader_ttl", "5", "unknown"),
    ],
)
def test_values_out_of_bounds_are_refused_with_the_reason(name: str, text: str, reason: str):
    with pytest.raises(InvalidSetting) as refused:
        rule_for(name).parse(text)
    assert refused.value.reason == reason


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("value", [-1, 0, 0.5, 1, 2, 20, 20.5, 21, 100_000])
def test_the_bounds_are_those_of_the_environment_settings(name: str, value: float):
    rule = RULES[name]
    if rule.integer and not float(value).is_integer():
        return  # the environment refuses it as not an integer, like not_whole here
    try:
        Settings(_env_file=None, **{rule.env: str(value)})  # type: ignore[call-arg]
        environment_takes = True
    except ValidationError:
        environment_takes = False
    assert rule.allows(value) is environment_takes


def cluster(
    flags: MemoryFlags, size: int
) -> tuple[list[RuntimeSettings], list[list[RuntimeValues]]]:
    """Instances over one table and one coordination hub, each recording what it applied."""
    clock = StepClock()
    hub = MemoryCoordinationHub(clock)
    instances, applied = [], []
    for n in range(size):
        seen: list[RuntimeValues] = []
        events = ClusterEvents(MemoryCoordinator(clock, f"i{n}", hub=hub))
        instances.append(
            RuntimeSettings(flags, ENV, clock, apply=seen.append, events=events, resync=0)
        )
        applied.append(seen)
    return instances, applied


async def test_a_change_on_one_instance_is_applied_on_every_instance():
    flags = MemoryFlags()
    (one, two), (seen_one, seen_two) = cluster(flags, 2)
    for instance in (one, two):
        await instance.start()
    assert seen_one == seen_two == [ENV]
    await one.change("poll_interval", "120")
    await one.change("power_off_after", "4")
    assert two.current.poll_interval == 120.0 and two.current.power_off_after == 4
    assert seen_two[-1] == seen_one[-1] == two.current
    assert two.stored == {"poll_interval", "power_off_after"}
    assert flags.rows == {
        f"{FLAG_PREFIX}poll_interval": "120.0",
        f"{FLAG_PREFIX}power_off_after": "4",
    }
    await two.reset("poll_interval")
    assert one.current.poll_interval == 300.0 and one.current.power_off_after == 4
    assert one.stored == {"power_off_after"}


async def test_a_refused_value_stores_nothing_and_tells_nobody():
    flags = MemoryFlags()
    (one, two), (_, seen_two) = cluster(flags, 2)
    for instance in (one, two):
        await instance.start()
    with pytest.raises(InvalidSetting) as refused:
        await one.change("power_off_after", "99")
    assert refused.value.reason == "out_of_bounds"
    assert refused.value.rule is not None and refused.value.rule.bounds_text() == "1…20"
    assert flags.rows == {} and seen_two == [ENV]


async def test_a_stored_value_wins_over_the_environment_at_start_and_a_bad_one_is_ignored(
    caplog: pytest.LogCaptureFixture,
):
    flags = MemoryFlags(
        {f"{FLAG_PREFIX}probe_interval": "20", f"{FLAG_PREFIX}power_on_after": "500"}
    )
    applied: list[RuntimeValues] = []
    runtime = RuntimeSettings(flags, ENV, StepClock(), apply=applied.append, resync=0)
    await runtime.start()
    assert applied == [RuntimeValues(300.0, 20.0, 60.0, 3, 2)]
    assert runtime.stored == {"probe_interval"}
    assert "runtime_settings.refused name=power_on_after" in caplog.text


async def test_values_changed_while_events_were_lost_are_read_again():
    flags = MemoryFlags()
    clock = RecordingClock()
    applied: list[RuntimeValues] = []
    runtime = RuntimeSettings(flags, ENV, clock, apply=applied.append, resync=300)
    await runtime.start()
    flags.rows[f"{FLAG_PREFIX}reminder_interval"] = "90"  # another instance, event lost
    for _ in range(5):
        await asyncio.sleep(0)  # the loop's sleeps return at once: it re-reads
    await runtime.stop()
    assert applied[0] == ENV and applied[-1].reminder_interval == 90.0
    assert clock.slept[0] == 300


class RecordingClock:
    """A fixed clock whose sleeps are recorded and yield once."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def now(self) -> datetime:
        return datetime(2025, 11, 20, 9, 0, tzinfo=UTC)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        await asyncio.sleep(0)


class NoReminders:
    async def reminder_queues(self) -> dict[str, list[str]]:
        return {}

    async def apply_reminders(self, plans: object) -> ReminderOutcome:
        return ReminderOutcome()


async def test_the_reminder_planner_waits_the_new_interval_from_its_next_cycle():
    clock = RecordingClock()
    planner = ReminderPlanner([], MemoryScheduleStore(), NoReminders(), clock, interval=60)
    await planner.start()
    while len(clock.slept) < 2:
        await asyncio.sleep(0)
    planner.set_interval(600)
    count = len(clock.slept)
    while len(clock.slept) < count + 1:
        await asyncio.sleep(0)
    await planner.stop()
    assert clock.slept[0] == pytest.approx(60, abs=1)
    assert clock.slept[count] == pytest.approx(600, abs=1)


def test_the_schedule_watch_and_the_power_watch_take_the_new_values():
    kyiv = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
    clock = StepClock()
    watch = ScheduleWatch([kyiv], {"kyiv": None}, MemoryScheduleStore(), None, clock, jitter=0)  # type: ignore[dict-item, arg-type]
    assert watch.next_delay() == 300
    watch.set_interval(120)
    assert watch.next_delay() == 120 and watch.interval == 120
    power = PowerWatch(None, None, None, [kyiv], clock, interval=30)  # type: ignore[arg-type]
    phase = power.phase_of(7)
    power.set_interval(60)
    power.set_debounce(Debounce(off_after=4, on_after=2))
    assert power.interval == 60 and power.phase_of(7) == pytest.approx(2 * phase)
    assert power.debounce.off_after == 4
    with pytest.raises(ValueError):
        watch.set_interval(0)
