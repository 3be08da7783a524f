"""The lookup pacer: one request a second per operator, in one instance and across several."""

from __future__ import annotations

import pytest

from esvitlo.adapters.memory_coordinator import MemoryCoordinationHub, MemoryCoordinator
from esvitlo.ports import CoordinationUnavailable, LookupUnavailable
from esvitlo.services.lookup_pacing import SharedPacer

from step_clock import START, StepClock


def _seconds(clock: StepClock) -> float:
    return (clock.now() - START).total_seconds()


async def test_one_instance_spaces_requests_a_second_apart_per_operator() -> None:
    clock = StepClock()
    pacer = SharedPacer(MemoryCoordinator(clock), clock)
    moments = []
    for _ in range(3):
        await pacer.wait_turn("yasno")
        moments.append(_seconds(clock))
    await pacer.wait_turn("dtek")  # another operator does not wait for yasno's turn
    assert moments == [0.0, 1.0, 2.0]
    assert _seconds(clock) == 2.0


async def test_instances_share_the_turn_through_the_coordinator() -> None:
    clock = StepClock()
    hub = MemoryCoordinationHub(clock)
    first = SharedPacer(MemoryCoordinator(clock, "a", hub=hub), clock)
    second = SharedPacer(MemoryCoordinator(clock, "b", hub=hub), clock)
    await first.wait_turn("yasno")
    await second.wait_turn("yasno")
    assert _seconds(clock) >= 1.0  # b waited for a's lease to lapse
    assert second.waits > 0
    started = _seconds(clock)
    await first.wait_turn("yasno")
    assert _seconds(clock) - started >= 1.0


class _Unreachable(MemoryCoordinator):
    async def hold(self, name: str, ttl: float) -> bool:
        raise CoordinationUnavailable("down")


class _AlwaysHeld(MemoryCoordinator):
    async def hold(self, name: str, ttl: float) -> bool:
        return False


async def test_an_unreachable_backend_leaves_the_local_spacing() -> None:
    clock = StepClock()
    pacer = SharedPacer(_Unreachable(clock), clock)
    await pacer.wait_turn("yasno")
    await pacer.wait_turn("yasno")
    assert _seconds(clock) == 1.0


async def test_a_turn_never_free_gives_up_as_unavailable() -> None:
    clock = StepClock()
    pacer = SharedPacer(_AlwaysHeld(clock), clock, give_up_after=3.0)
    with pytest.raises(LookupUnavailable):
        await pacer.wait_turn("yasno")
    assert _seconds(clock) == pytest.approx(3.0)
