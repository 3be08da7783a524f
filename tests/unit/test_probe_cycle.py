"""ProbeCycle: starts spread over the interval at stable phases, bounded, errors contained."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.probe_cycle import EARLY_START, ProbeCycle, stable_fraction

from virtual_clock import VirtualClock

START = datetime(2026, 1, 10, 18, 0, tzinfo=UTC)


class FakeProber:
    """A ports.Prober that takes ``duration`` virtual seconds and notes when each probe ran."""

    def __init__(self, clock: VirtualClock, duration: float = 0.0) -> None:
        self.clock = clock
        self.duration = duration
        self.started: dict[str, list[float]] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.broken: set[str] = set()

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        self.started.setdefault(target.host, []).append(self.clock.t)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.duration:
                await self.clock.sleep(self.duration)
            if target.host in self.broken:
                raise RuntimeError("boom")
            return ProbeResult(ProbeVerdict.ANSWERED, "tcp", "connected", address=target.host)
        finally:
            self.in_flight -= 1


def _items(count: int) -> list[tuple[str, MonitorTarget]]:
    return [(f"m{i}", MonitorTarget(f"h{i}.example.net", 80)) for i in range(count)]


async def test_each_probe_starts_at_its_phase_and_the_phases_spread_evenly():
    clock = VirtualClock(START)
    prober = FakeProber(clock)
    cycle = ProbeCycle(prober, clock, interval=30.0, concurrency=50)
    items = _items(300)
    results = await clock.run(cycle.run(items))
    assert len(results) == 300
    for key, target in items:
        [started] = prober.started[target.host]
        assert cycle.phase_of(key) - EARLY_START <= started <= cycle.phase_of(key) + 1e-6
    per_tenth = [0] * 10
    for key, _ in items:
        per_tenth[int(cycle.phase_of(key) / 3.0)] += 1
    assert min(per_tenth) >= 15 and max(per_tenth) <= 45  # about 30 each
    assert clock.t == pytest.approx(30.0)  # the run lasts one interval


async def test_back_to_back_cycles_probe_each_key_at_the_same_phase():
    clock = VirtualClock(START)
    prober = FakeProber(clock, duration=0.5)
    cycle = ProbeCycle(prober, clock, interval=10.0, concurrency=100)
    items = _items(40)
    await clock.run(cycle.run(items))
    overrun = clock.t - 10.0  # the last probes ran past the interval
    assert 0 < overrun <= 0.5
    await clock.run(cycle.run(items))
    for key, target in items:
        first, second = prober.started[target.host]
        if cycle.phase_of(key) > overrun:
            assert second - first == pytest.approx(10.0, abs=EARLY_START + 1e-6)
        else:  # its moment had passed when the run began: probed at once
            assert second == pytest.approx(10.0 + overrun)


def test_phase_is_stable_and_in_range():
    assert stable_fraction("m1") == stable_fraction("m1")
    assert stable_fraction(1) != stable_fraction(2)
    assert all(0.0 <= stable_fraction(i) < 1.0 for i in range(1000))


async def test_concurrency_is_bounded_and_late_starts_wait_for_room():
    clock = VirtualClock(START)
    prober = FakeProber(clock, duration=5.0)
    cycle = ProbeCycle(prober, clock, interval=1.0, concurrency=3)
    results = await clock.run(cycle.run(_items(12)))
    assert len(results) == 12
    assert prober.max_in_flight == 3 and cycle.last_stats.max_in_flight == 3
    assert clock.t >= 4 * 5.0  # 12 probes of 5 s, 3 at a time


async def test_a_failing_probe_or_callback_does_not_stop_the_cycle():
    clock = VirtualClock(START)
    prober = FakeProber(clock)
    prober.broken = {"h3.example.net"}
    seen: list[str] = []

    async def on_result(key: str, result: ProbeResult) -> None:
        seen.append(key)
        if key == "m5":
            raise ValueError("storage down")

    cycle = ProbeCycle(prober, clock, interval=2.0, concurrency=4)
    results = await clock.run(cycle.run(_items(10), on_result))
    assert sorted(seen) == sorted(f"m{i}" for i in range(10))
    assert results["m3"].verdict is ProbeVerdict.INCONCLUSIVE
    assert results["m3"].detail == "probe_error"
    assert results["m4"].verdict is ProbeVerdict.ANSWERED
    assert cycle.last_stats.errors == 2 and cycle.last_stats.probes == 10
    assert cycle.last_stats.verdicts[ProbeVerdict.ANSWERED] == 9


def test_bad_settings_are_refused():
    clock = VirtualClock(START)
    with pytest.raises(ValueError):
        ProbeCycle(FakeProber(clock), clock, interval=0, concurrency=1)
    with pytest.raises(ValueError):
        ProbeCycle(FakeProber(clock), clock, interval=1, concurrency=0)
