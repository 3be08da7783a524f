"""The power watch counts misses in each monitor's own period (hypothesis over every heartbeat
period the bot offers and probe intervals from 1 s to 4 min, with the settings' debounce): a
device that goes quiet is "off" once, dated at its first missed beat, after k periods plus a
grace and within one cycle more; beats that keep coming never make "off"; beats that resume
make "on" once. Probe cycles running longer than the interval still confirm changes.

The watch runs over a store in memory, on a step clock (heartbeats) or a virtual clock
(probes that take time, bounded concurrency).
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.monitors import Monitor, MonitorKind, PowerMessage, WatchedMonitor
from esvitlo.domain.power import Power, PowerState, Transition
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.monitors import BEAT_PERIODS
from esvitlo.services.power_watch import PowerWatch
from esvitlo.settings import Settings

from step_clock import StepClock
from virtual_clock import VirtualClock

START = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
PERIODS = sorted({*BEAT_PERIODS, 120, 600})  # what the bot offers, and two more


def monitor(monitor_id: int, kind: MonitorKind, every: timedelta, target: str = "") -> Monitor:
    return Monitor(
        id=monitor_id,
        user_id=monitor_id,
        subscription_id=None,
        kind=kind,
        target=target,
        secret_hash=None,
        beat_every=every,
        notify_user=True,
        notify_channel=False,
        created_at=START,
    )


class MemoryPowerStore:
    """ports.PowerStore in memory; notes each saved transition with the moment it was saved."""

    def __init__(self, clock: StepClock | VirtualClock, monitors: Sequence[Monitor]) -> None:
        self._clock = clock
        self.monitors = {m.id: m for m in monitors}
        self.versions = dict.fromkeys(self.monitors, 0)
        self.saved: list[tuple[int, Transition, datetime]] = []
        self.messages: list[PowerMessage] = []

    async def watched(self) -> list[tuple[WatchedMonitor, int]]:
        return [
            (WatchedMonitor(m, m.user_id, "uk", None, None, "Дім"), self.versions[m.id])
            for m in self.monitors.values()
        ]

    async def save(
        self,
        monitor_id: int,
        version: int,
        state: PowerState,
        transition: Transition | None = None,
        messages: Sequence[PowerMessage] = (),
    ) -> bool:
        if self.versions[monitor_id] != version:
            return False
        self.versions[monitor_id] += 1
        self.monitors[monitor_id] = replace(self.monitors[monitor_id], state=state)
        if transition is not None:
            self.saved.append((monitor_id, transition, self._clock.now()))
        self.messages += messages
        return True

    async def record_beat(self, secret_hash: str, at: datetime) -> bool:
        return False  # beats are noted with :meth:`beat`: no secrets here

    def beat(self, monitor_id: int, at: datetime) -> None:
        self.monitors[monitor_id] = replace(self.monitors[monitor_id], last_beat_at=at)

    def power(self, monitor_id: int) -> Power:
        return self.monitors[monitor_id].state.power


class NoProber:
    """ports.Prober for watches of heartbeats only: never called."""

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        raise AssertionError("a heartbeat monitor is never probed")


def settings_of(interval: int, off_after: int = 3, on_after: int = 2) -> Settings:
    values = {
        "ESVITLO_PROBE_INTERVAL": str(interval),
        "ESVITLO_POWER_OFF_AFTER": str(off_after),
        "ESVITLO_POWER_ON_AFTER": str(on_after),
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def beats_from(first: datetime, jitters_ms: Sequence[int], every: timedelta) -> list[datetime]:
    """Beats starting at ``first``, each one period after the previous give or take a jitter."""
    beats = [first]
    for jitter in jitters_ms:
        beats.append(beats[-1] + every + timedelta(milliseconds=jitter))
    return beats


async def watch_heartbeat(
    config: Settings, every: timedelta, beats: Sequence[datetime], until: datetime
) -> MemoryPowerStore:
    """Run the watch's cycles from START until ``until``; each beat is noted when it is due."""
    clock = StepClock(START)
    store = MemoryPowerStore(clock, [monitor(1, MonitorKind.HEARTBEAT, every)])
    watch = PowerWatch(
        store,
        NoProber(),
        MemoryScheduleStore(),
        [],
        clock,
        interval=config.probe_interval,
        debounce=config.debounce(),
    )
    waiting = deque(sorted(beats))
    while clock.now() < until:
        while waiting and waiting[0] <= clock.now():
            store.beat(1, waiting.popleft())
        await watch.run_cycle()
    return store


MAX_BEATS = 90
JITTERS = st.lists(st.integers(-250, 499), min_size=MAX_BEATS, max_size=MAX_BEATS)
"""How early or late each beat comes, in thousandths of a period: at most a quarter period
early, and always within the grace (half a period) when late."""


@settings(max_examples=40, deadline=None)
@given(
    every_s=st.sampled_from(PERIODS),
    interval=st.integers(1, 240),
    off_after=st.integers(1, 5),
    on_after=st.integers(1, 3),
    offset_ms=st.integers(0, 600_000),
    before=JITTERS,
    after=JITTERS,
)
@example(300, 30, 3, 2, 0, [0] * MAX_BEATS, [0] * MAX_BEATS)  # the defaults, a 5-minute device
@example(30, 5, 3, 2, 1000, [0] * MAX_BEATS, [0] * MAX_BEATS)  # seen live
def test_a_quiet_device_is_off_once_at_its_first_missed_beat_and_on_once_when_it_beats_again(
    every_s: int,
    interval: int,
    off_after: int,
    on_after: int,
    offset_ms: int,
    before: list[int],
    after: list[int],
) -> None:
    every, cycle = timedelta(seconds=every_s), timedelta(seconds=interval)
    grace = every / 2
    # enough beats for the watch to see ``on_after`` of them even when it looks less often
    count = on_after + 2 + math.ceil(2 * (on_after + 2) * interval / every_s)
    first = START + timedelta(milliseconds=offset_ms % (every_s * 1000))
    beating = beats_from(first, [j * every_s for j in before[:count]], every)
    last = beating[-1]
    deadline = last + every * off_after + grace + cycle  # "off" is saved by then
    resumed = deadline + every * 2 + timedelta(milliseconds=offset_ms % 7919)
    again = beats_from(resumed, [j * every_s for j in after[:count]], every)
    until = again[-1] + every  # the next beat is not late yet: nothing more may happen

    config = settings_of(interval, off_after, on_after)
    store = asyncio.run(watch_heartbeat(config, every, beating + again, until))

    # the cold start into "on" is silent, and beats on time never make "off"
    [(_, off, off_saved), (_, on, on_saved)] = store.saved
    assert off.power is Power.OFF and off.at == last + every  # the first missed beat
    assert last + every * off_after + grace <= off_saved <= deadline
    first_look = START + cycle * math.ceil((resumed - START) / cycle)  # the first cycle after
    assert on.power is Power.ON and on.at == max(b for b in again if b <= first_look)
    assert on_saved <= first_look + (on_after - 1) * max(cycle, every + grace) + cycle
    assert store.power(1) is Power.ON
    assert len(store.messages) == 2  # the owner hears of each change once


class SlowProber:
    """ports.Prober whose probes take ``seconds`` of virtual time (a silent router times out);
    answers while ``answering``, and notes when each result came, per host."""

    def __init__(self, clock: VirtualClock, seconds: float) -> None:
        self.clock = clock
        self.seconds = seconds
        self.answering = True
        self.results: dict[str, list[tuple[datetime, bool]]] = {}

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        await self.clock.sleep(self.seconds)
        answered = self.answering
        self.results.setdefault(target.host, []).append((self.clock.now(), answered))
        verdict = ProbeVerdict.ANSWERED if answered else ProbeVerdict.SILENT
        return ProbeResult(verdict, "tcp", verdict.value)

    def first_result(self, host: str, answered: bool, after: datetime) -> datetime:
        return min(at for at, seen in self.results[host] if seen is answered and at >= after)


async def test_probe_cycles_slower_than_the_interval_still_confirm_off_and_on():
    """20 routers, 2 probes at a time, 5 s each: a cycle takes 50 s against a 5 s interval
    (the gap between two probes of one router is ten intervals), yet each router goes off
    once, dated at its first silent probe, within off_after + 1 cycles, and back likewise."""
    clock = VirtualClock(START)
    hosts = {i: f"8.8.4.{i}" for i in range(1, 21)}
    store = MemoryPowerStore(
        clock, [monitor(i, MonitorKind.PROBE, timedelta(0), host) for i, host in hosts.items()]
    )
    prober = SlowProber(clock, seconds=5)
    config = settings_of(interval=5)
    watch = PowerWatch(
        store,
        prober,
        MemoryScheduleStore(),
        [],
        clock,
        interval=config.probe_interval,
        concurrency=2,
        debounce=config.debounce(),
    )
    cycle = timedelta(seconds=50)
    silent_from = START + cycle * 3 + timedelta(seconds=7)
    back_from = silent_from + cycle * 5

    async def scenario() -> None:
        await watch.start()
        await clock.sleep((silent_from - START).total_seconds())
        assert {store.power(i) for i in hosts} == {Power.ON}  # a cold start: no alerts
        prober.answering = False
        await clock.sleep((back_from - silent_from).total_seconds())
        prober.answering = True
        await clock.sleep(cycle.total_seconds() * 4)
        await watch.stop()

    await clock.run(scenario())
    assert watch.stats.last_cycle_s >= 45  # the cycles did run long
    for i, host in hosts.items():
        off_at = prober.first_result(host, False, silent_from)
        on_at = prober.first_result(host, True, back_from)
        [off, on] = [(t.power, t.at, saved) for m, t, saved in store.saved if m == i]
        assert off[:2] == (Power.OFF, off_at) and off[2] <= off_at + 3 * cycle
        assert on[:2] == (Power.ON, on_at) and on[2] <= on_at + 2 * cycle


class SilentProber:
    """ports.Prober for a router that never answers."""

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        return ProbeResult(ProbeVerdict.SILENT, "tcp", "timeout")


@pytest.mark.parametrize(("stopped_s", "continues"), [(10, True), (60, True), (600, False)])
async def test_a_restart_continues_a_recent_pending_change_and_restarts_an_old_one(
    stopped_s: int, continues: bool
):
    """Two misses stored by the previous run, which stopped ``stopped_s`` ago: one more miss
    confirms "off" dated at the first of them, unless the pause was longer than four cycles
    (the power may have come and gone meanwhile): then counting starts again."""
    clock = StepClock(START)
    last_miss = START - timedelta(seconds=stopped_s)
    first_miss = last_miss - timedelta(seconds=30)
    pending = PowerState(
        Power.ON, START - timedelta(days=1), True, Power.OFF, first_miss, last_miss, 2
    )
    router = replace(monitor(1, MonitorKind.PROBE, timedelta(0), "8.8.4.4"), state=pending)
    store = MemoryPowerStore(clock, [router])
    config = settings_of(interval=30)
    watch = PowerWatch(
        store,
        SilentProber(),
        MemoryScheduleStore(),
        [],
        clock,
        interval=config.probe_interval,
        debounce=config.debounce(),
    )
    await watch.run_cycle()
    if continues:
        [(_, off, _)] = store.saved
        assert off.power is Power.OFF and off.at == first_miss
    else:
        assert store.saved == [] and store.monitors[1].state.pending_count == 1
