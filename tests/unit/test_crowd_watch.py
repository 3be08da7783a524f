"""The crowd watch over fakes: a flapping third of a queue's monitors never alerts, two thirds
going off alert once, a new leader (a new watch over the same storage) does not alert again,
and "back" comes once; the "only you?" lookup reads a queue once for a burst of questions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.catalogue import Region
from esvitlo.domain.crowd import CrowdCount, Episode, MemberState, QueueOthers
from esvitlo.domain.crowd_render import EpisodeMove
from esvitlo.domain.model import DaySchedule, DayState, Span, local_date
from esvitlo.domain.power import Power
from esvitlo.services.crowd_watch import CrowdWatch
from esvitlo.services.queue_others import QueueOthersLookup

from step_clock import START, StepClock

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
USERS = 30
KYIV_ZONE = ZoneInfo("Europe/Kyiv")


class FakeCrowd:
    """A CrowdStore over a list of monitors' power (one per user) and stored episodes."""

    def __init__(self, clock: StepClock) -> None:
        self.clock = clock
        self.power = [Power.ON] * USERS
        self.off_since: dict[int, datetime] = {}
        self.stored: dict[tuple[str, str], Episode] = {}
        self.alerts: list[str] = []
        self.texts: list[str] = []
        self.member_reads = 0

    def set(self, user: int, power: Power) -> None:
        if power is Power.OFF and self.power[user] is not Power.OFF:
            self.off_since[user] = self.clock.now()
        self.power[user] = power

    async def counts(self, fresh_since: datetime) -> list[CrowdCount]:
        off = [u for u, p in enumerate(self.power) if p is Power.OFF]
        fresh = [u for u in off if self.off_since[u] >= fresh_since]
        on = USERS - len(off)
        return [CrowdCount("kyiv", "3.1", USERS, USERS, on, len(off), len(fresh))]

    async def members(self, region: str, queue: str) -> list[MemberState]:
        self.member_reads += 1
        return [MemberState(u, p) for u, p in enumerate(self.power)]

    async def episodes(self) -> dict[tuple[str, str], Episode]:
        return dict(self.stored)

    async def save(self, moves: Sequence[EpisodeMove]) -> int:
        for move in moves:
            self.stored[move.region, move.queue] = move.episode
            if move.alert is not None:
                self.alerts.append(move.alert.edge.value)
                self.texts.append(move.alert.text("uk"))
        return len(moves)


class PowerOnSchedule:
    """A ScheduleStore whose queue 3.1 has one outage (late at night: power is on now)."""

    def __init__(self, outage: tuple[int, int] = (23, 24)) -> None:
        self.outage = Span(outage[0] * 60, outage[1] * 60)

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]]:
        today = local_date(START, KYIV_ZONE)
        tomorrow = DaySchedule(today + timedelta(days=1), DayState.PUBLISHED, ())
        day = DaySchedule(today, DayState.PUBLISHED, (self.outage,))
        return {"3.1": {today: day, tomorrow.date: tomorrow}}


async def _passes(watch: CrowdWatch, clock: StepClock, n: int, each=lambda i: None) -> None:
    for i in range(n):
        each(i)
        await watch.run_once()
        clock.advance(seconds=30)


async def test_a_flapping_third_never_alerts_two_thirds_alert_once_across_a_new_leader():
    clock = StepClock(START)
    store = FakeCrowd(clock)
    schedules = PowerOnSchedule()
    watch = CrowdWatch(store, schedules, [KYIV], clock)  # type: ignore[arg-type]

    def flap(i: int) -> None:
        for user in range(10):
            store.set(user, Power.OFF if i % 2 == 0 else Power.ON)

    await _passes(watch, clock, 120, flap)  # an hour of a third flapping every 30 s
    assert store.alerts == [] and store.stored.get(("kyiv", "3.1"), Episode()) == Episode()
    for user in range(20):
        store.set(user, Power.OFF)
    await _passes(watch, clock, 6)
    assert store.alerts == ["outage"]
    new_leader = CrowdWatch(store, schedules, [KYIV], clock)  # type: ignore[arg-type]
    await _passes(new_leader, clock, 20)
    assert store.alerts == ["outage"]
    for user in range(20):
        store.set(user, Power.ON)
    await _passes(new_leader, clock, 10)
    assert store.alerts == ["outage", "back"]


async def test_only_you_reads_a_queue_once_for_a_burst_of_questions():
    clock = StepClock(START)
    store = FakeCrowd(clock)
    for user in range(20):
        store.set(user, Power.OFF)
    lookup = QueueOthersLookup(store, clock)  # type: ignore[arg-type]
    answers = [await lookup.others("kyiv", "3.1", user) for user in range(20)]
    assert answers == [QueueOthers(known=29, on=10, off=19)] * 20
    assert store.member_reads == 1
    clock.advance(seconds=11)
    await lookup.others("kyiv", "3.1", 0)
    assert store.member_reads == 2


async def test_back_half_an_hour_before_the_planned_end_is_told_as_early():
    clock = StepClock(START)  # 10:30 in Kyiv, in the outage of 10:00 to 12:00
    store = FakeCrowd(clock)
    watch = CrowdWatch(store, PowerOnSchedule((10, 12)), [KYIV], clock)  # type: ignore[arg-type]
    for user in range(20):
        store.set(user, Power.OFF)
    await _passes(watch, clock, 120)  # an hour: planned, nothing to tell
    assert store.alerts == []
    for user in range(20):
        store.set(user, Power.ON)  # 11:30
    await _passes(watch, clock, 10)
    assert store.alerts == ["early"]
    assert "о 11:30, за графіком о 12:00: на 30 хв раніше" in store.texts[0]
