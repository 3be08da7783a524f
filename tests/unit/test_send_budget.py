"""LocalSendBudget in virtual time: global rate, spacing per chat, pauses, no head-of-line wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TypeVar

import pytest

from esvitlo.services.send_budget import LocalSendBudget

from virtual_clock import VirtualClock

T = TypeVar("T")
START = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)
GROUP = -100_1
CHANNEL = -100_2


async def acquire_all(
    clock: VirtualClock, budget: LocalSendBudget, chats: list[int]
) -> list[float]:
    """Acquire for every chat at once (in list order); the virtual time each got through."""
    times: list[float] = [0.0] * len(chats)

    async def one(index: int, chat_id: int) -> None:
        await budget.acquire(chat_id)
        times[index] = clock.t

    async def every() -> None:
        await asyncio.gather(*(one(i, c) for i, c in enumerate(chats)))

    await clock.run(every())
    return times


def most_in_any_window(times: list[float], window: float) -> int:
    ordered = sorted(times)
    # datetimes keep microseconds: allow for that rounding at the window edge
    return max(sum(1 for u in ordered if t <= u < t + window - 1e-5) for t in ordered)


async def test_global_rate_spaces_messages_evenly():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=30, margin=0)
    times = await acquire_all(clock, budget, list(range(1, 91)))
    assert times[0] == 0.0
    assert times[-1] == pytest.approx(89 / 30)
    assert most_in_any_window(times, 1.0) == 30


async def test_margin_leaves_room_for_jitter():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=30, margin=0.02)
    times = await acquire_all(clock, budget, list(range(1, 61)))
    assert most_in_any_window(times, 1.0) <= 30
    assert budget.rate == pytest.approx(30 / 1.02)


@pytest.mark.parametrize(("chat", "spacing"), [(7, 1.0), (GROUP, 3.0), (CHANNEL, 3.0)])
async def test_one_chat_is_spaced_by_its_kind(chat: int, spacing: float):
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=30, margin=0)
    times = await acquire_all(clock, budget, [chat] * 4)
    assert times == pytest.approx([0, spacing, 2 * spacing, 3 * spacing])


async def test_a_busy_chat_does_not_hold_up_the_others():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=10, margin=0)
    times = await acquire_all(clock, budget, [GROUP, GROUP, 1, 2, 3])
    assert times[2:] == pytest.approx([0.1, 0.2, 0.3])
    assert times[1] == pytest.approx(3.0)


async def test_a_pause_holds_everyone_and_is_never_shortened():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=30, margin=0)
    await clock.run(budget.acquire(1))
    await budget.pause(5)
    await budget.pause(2)
    assert budget.paused_for() == pytest.approx(5)
    times = await acquire_all(clock, budget, [2, 3, 4])
    assert times == pytest.approx([5, 5 + 1 / 30, 5 + 2 / 30])
    assert budget.paused_for() == 0


async def test_a_pause_that_starts_while_waiting_is_respected():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=10, margin=0)

    async def scenario() -> list[float]:
        waiting = asyncio.gather(*(budget.acquire(c) for c in (1, 2, 3)))
        await asyncio.sleep(0)
        await budget.pause(2)
        await waiting
        return [clock.t]

    [end] = await clock.run(scenario())
    assert end >= 2.0


@pytest.mark.parametrize(("rate", "margin"), [(10, 0.02), (30, 0.02), (31, 0.05), (1000, 0.05)])
def test_the_margin_is_wider_above_the_standard_rate(rate: float, margin: float):
    assert LocalSendBudget(VirtualClock(START), rate=rate).rate == pytest.approx(
        rate / (1 + margin)
    )
    assert LocalSendBudget(VirtualClock(START), rate=rate, margin=0).rate == pytest.approx(rate)


async def test_paid_slots_absorb_50_ms_of_jitter():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=1000)
    times = await acquire_all(clock, budget, list(range(1, 2101)))
    jittered = [t + (0.05 if i < 1000 else 0.0) for i, t in enumerate(times)]  # early ones late
    assert most_in_any_window(jittered, 1.0) <= 1000


async def test_many_chats_stay_spaced_after_the_spacing_table_is_pruned():
    clock = VirtualClock(START)
    budget = LocalSendBudget(clock, rate=1000, margin=0)
    chats = list(range(1, 12_001))
    first = await acquire_all(clock, budget, chats)
    again = await acquire_all(clock, budget, [chats[-1], chats[0]])
    assert again[0] == pytest.approx(first[-1] + 1.0)  # the last chat still waits its second
    # the first one's is long over (its slot, give or take the rounding of 1,000 slots)
    assert again[1] == pytest.approx(first[-1] + 0.001, abs=1e-4)


def test_rejects_nonsense():
    with pytest.raises(ValueError):
        LocalSendBudget(VirtualClock(START), rate=0)


class StallingClock(VirtualClock):
    """Wakes every sleep that ends in the first 0.1 s late by 40 ms, as a busy machine does."""

    async def sleep(self, seconds: float) -> None:
        late = 0.04 if self.t + seconds < 0.1 else 0.0
        await super().sleep(seconds + late)


async def test_messages_woken_late_never_bunch_with_those_a_second_later():
    clock = StallingClock(START)
    budget = LocalSendBudget(clock, rate=30)
    times = await acquire_all(clock, budget, list(range(1, 91)))
    assert times[1] == pytest.approx(0.034 + 0.04, abs=1e-5)  # the stall: two woken late
    assert most_in_any_window(times, 1.0) <= 30  # slots alone: 31 (the 31st at 1.054 s)
    assert most_in_any_window(times, 1.02) <= 30  # the whole margin kept for the network
    assert times[61] == pytest.approx(61 * 0.034 + 0.04, abs=1e-4)  # a late one's followers
    assert times[-1] == pytest.approx(89 * 0.034, abs=1e-4)  # the others keep their slots
