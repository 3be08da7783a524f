"""The channel health check with fakes in virtual time: checks spread evenly over the interval
and through the send budget, a lost channel marked (and its owner told) once per loss, a lost
channel recovered silently, paused channels left paused, and no answer changing nothing."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import pytest

from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import (
    CHAT_NOT_FOUND,
    BotMembership,
    ChannelHealth,
    ChatLookup,
    CheckedChannel,
    recovered_status,
)
from esvitlo.ports import ChatMigrated, RetryAfter, TemporaryFailure
from esvitlo.services.channel_health import ChannelHealthCheck
from esvitlo.services.send_budget import LocalSendBudget

from virtual_clock import VirtualClock

CHANNEL = ChatLookup(found=True, kind="channel")
POSTING = BotMembership("administrator", can_post_messages=True)
NO_RIGHTS = BotMembership("administrator", can_post_messages=False)
T = TypeVar("T")


@dataclass
class FakeChannels:
    """ports.ChannelHealthStore over a dict of chat id -> (status, linked)."""

    rows: dict[int, tuple[ChannelStatus, bool]] = field(default_factory=dict)
    broken: set[int] = field(default_factory=set)

    async def channels_to_check(self) -> list[CheckedChannel]:
        return [CheckedChannel(c, s, linked) for c, (s, linked) in sorted(self.rows.items())]

    async def mark_recovered(self, chat_id: int) -> bool:
        if chat_id in self.broken:
            raise RuntimeError("database went away")
        status, linked = self.rows[chat_id]
        if status is not ChannelStatus.LOST:
            return False
        self.rows[chat_id] = (recovered_status(linked), linked)
        return True

    def status(self, chat_id: int) -> ChannelStatus:
        return self.rows[chat_id][0]


@dataclass
class FakeQueue:
    """The two DeliveryQueue methods the check uses; a loss is recorded as the owner's notice."""

    channels: FakeChannels
    notices: list[tuple[int, str, datetime | None]] = field(default_factory=list)
    moved: list[tuple[int, int]] = field(default_factory=list)

    async def deactivate_recipient(
        self, chat_id: int, error: str, now: datetime | None = None
    ) -> int:
        status, linked = self.channels.rows[chat_id]
        if status is not ChannelStatus.LOST:
            self.notices.append((chat_id, error, now))
            self.channels.rows[chat_id] = (ChannelStatus.LOST, linked)
        return 0

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        self.moved.append((old_chat_id, new_chat_id))
        return 0


class FakeInspector:
    """Answers per chat (a fact or an exception to raise), recording each call's time."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.chats: dict[int, ChatLookup | Exception] = {}
        self.members: dict[int, BotMembership | Exception] = {}
        self.calls: list[tuple[str, int, float]] = []

    async def lookup_chat(self, chat_id: int) -> ChatLookup:
        self.calls.append(("getChat", chat_id, self.clock.t))
        return _answer(self.chats.get(chat_id, CHANNEL))

    async def bot_membership(self, chat_id: int) -> BotMembership:
        self.calls.append(("getChatMember", chat_id, self.clock.t))
        return _answer(self.members.get(chat_id, POSTING))

    def times(self, method: str) -> list[float]:
        return [at for name, _, at in self.calls if name == method]


def _answer(value: T | Exception) -> T:
    if isinstance(value, Exception):
        raise value
    return value


class CountingBudget(LocalSendBudget):
    """The real budget, counting what passes it and the pauses asked for."""

    def __init__(self, clock: VirtualClock, **kwargs: float) -> None:
        super().__init__(clock, **kwargs)
        self.acquired: Counter[int] = Counter()
        self.pauses: list[float] = []

    async def acquire(self, chat_id: int) -> None:
        await super().acquire(chat_id)
        self.acquired[chat_id] += 1

    async def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        await super().pause(seconds)


class Rig:
    def __init__(self, *channels: tuple[int, ChannelStatus], interval: float = 3600.0) -> None:
        self.clock = VirtualClock()
        self.store = FakeChannels({chat: (status, True) for chat, status in channels})
        self.queue = FakeQueue(self.store)
        self.inspector = FakeInspector(self.clock)
        self.budget = CountingBudget(self.clock)
        self.check = ChannelHealthCheck(
            self.store, self.inspector, self.budget, self.queue, self.clock, interval=interval
        )

    async def round(self):
        return await self.clock.run(self.check.run_once())


async def test_checks_start_evenly_spread_over_the_interval_each_call_through_the_budget():
    rig = Rig(*((-1000 - i, ChannelStatus.ACTIVE) for i in range(12)))
    stats = await rig.round()
    starts = rig.inspector.times("getChat")
    assert starts == pytest.approx([i * 300.0 for i in range(12)])
    # the membership call waits for the channel's own spacing in the budget (3 s + margin)
    members = rig.inspector.times("getChatMember")
    assert [m - s for s, m in zip(starts, members, strict=True)] == pytest.approx([3.06] * 12)
    assert set(rig.budget.acquired.values()) == {2}
    assert (stats.checks, stats.healthy, stats.lost, stats.errors) == (12, 12, 0, 0)
    assert rig.queue.notices == []


async def test_five_thousand_channels_never_burst_and_fit_in_the_hour():
    rig = Rig(*((-10_000 - i, ChannelStatus.ACTIVE) for i in range(5000)))
    stats = await rig.round()
    times = sorted(at for _, _, at in rig.inspector.calls)
    assert len(times) == 10_000 and stats.checks == 5000
    per_second = Counter(int(at) for at in times)
    assert max(per_second.values()) <= 4  # about 2.8 calls a second, evenly
    assert times[-1] < 3600.0 + 5
    starts = rig.inspector.times("getChat")
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) == pytest.approx(0.72, abs=1e-6)
    assert max(gaps) == pytest.approx(0.72, abs=1e-6)


async def test_a_channel_without_rights_is_lost_once_then_recovers_silently_and_can_break_anew():
    chat = -1001
    rig = Rig((chat, ChannelStatus.ACTIVE))
    rig.inspector.members[chat] = NO_RIGHTS
    first = await rig.round()
    await rig.round()
    assert rig.store.status(chat) is ChannelStatus.LOST
    assert [(c, e) for c, e, _ in rig.queue.notices] == [(chat, "health check: no_rights")]
    told_at = rig.queue.notices[0][2]
    assert told_at is not None  # due when the verdict came: after the membership call
    elapsed = (told_at - rig.clock.start).total_seconds()
    assert elapsed == pytest.approx(rig.inspector.times("getChatMember")[0], abs=1e-3)
    assert (first.lost, first.unhealthy) == (1, 1)

    rig.inspector.members[chat] = POSTING
    back = await rig.round()
    assert rig.store.status(chat) is ChannelStatus.ACTIVE
    assert (back.recovered, len(rig.queue.notices)) == (1, 1)

    rig.inspector.chats[chat] = CHAT_NOT_FOUND
    await rig.round()
    assert [e for _, e, _ in rig.queue.notices] == [
        "health check: no_rights",
        "health check: gone",
    ]
    assert rig.check.stats.rounds == 4 and rig.check.stats.lost == 2


async def test_a_gone_chat_is_not_asked_for_the_membership():
    rig = Rig((-1001, ChannelStatus.ACTIVE))
    rig.inspector.chats[-1001] = CHAT_NOT_FOUND
    await rig.round()
    assert [name for name, _, _ in rig.inspector.calls] == ["getChat"]
    assert rig.budget.acquired[-1001] == 1


async def test_paused_channels_stay_paused_and_unlinked_ones_recover_to_pending():
    rig = Rig((-1001, ChannelStatus.PAUSED), (-1002, ChannelStatus.LOST))
    rig.store.rows[-1002] = (ChannelStatus.LOST, False)
    stats = await rig.round()
    assert rig.store.status(-1001) is ChannelStatus.PAUSED
    assert rig.store.status(-1002) is ChannelStatus.PENDING
    assert (stats.recovered, stats.lost) == (1, 0)


@pytest.mark.parametrize(
    "failure", [RetryAfter(7), TemporaryFailure("502 Bad Gateway"), TimeoutError()]
)
async def test_no_answer_changes_nothing(failure: Exception):
    rig = Rig((-1001, ChannelStatus.ACTIVE), (-1002, ChannelStatus.LOST))
    rig.inspector.members[-1001] = failure
    rig.inspector.members[-1002] = failure
    stats = await rig.round()
    assert rig.store.status(-1001) is ChannelStatus.ACTIVE
    assert rig.store.status(-1002) is ChannelStatus.LOST
    assert rig.queue.notices == [] and stats.errors == 2
    assert rig.budget.pauses == ([7.0, 7.0] if isinstance(failure, RetryAfter) else [])


async def test_a_migrated_group_moves_to_its_new_id():
    rig = Rig((-4001, ChannelStatus.ACTIVE))
    rig.inspector.chats[-4001] = ChatMigrated(-1004001)
    stats = await rig.round()
    assert rig.queue.moved == [(-4001, -1004001)]
    assert rig.store.status(-4001) is ChannelStatus.ACTIVE and stats.errors == 1


async def test_a_failing_store_stops_neither_the_round_nor_other_channels():
    rig = Rig((-1001, ChannelStatus.LOST), (-1002, ChannelStatus.LOST))
    rig.store.broken.add(-1001)
    stats = await rig.round()
    assert rig.store.status(-1002) is ChannelStatus.ACTIVE
    assert (stats.recovered, stats.errors) == (1, 1)


async def test_the_loop_runs_one_round_per_interval_and_stops():
    rig = Rig((-1001, ChannelStatus.ACTIVE), (-1002, ChannelStatus.ACTIVE), interval=600)

    async def three_rounds() -> None:
        await rig.check.start()
        while rig.check.stats.rounds < 3:
            await rig.clock.sleep(1)
        await rig.check.stop()

    await rig.clock.run(three_rounds())
    assert rig.inspector.times("getChat")[:6] == pytest.approx(
        [0.0, 300.0, 600.0, 900.0, 1200.0, 1500.0]
    )
    assert rig.check.stats.rounds == 3


def test_a_verdict_is_reachable_only_when_healthy():
    assert [h for h in ChannelHealth if h.reachable] == [ChannelHealth.HEALTHY]
