"""LeaderElection with ``solo_fallback`` while the backend is unreachable, in manual time: a
lone leader keeps leading on a local lease; with several instances there is never a second
leader, and nobody promotes itself without the backend."""

from __future__ import annotations

import logging

from coordination_rig import TTL, ManualClock, Recorder, Unreachable, election
from esvitlo.adapters.memory_coordinator import MemoryCoordinationHub, MemoryCoordinator
from esvitlo.services.coordination import LeaderElection

STEP = 0.05


pytest_plugins = ("coordination_fixtures",)


def node(clock: ManualClock, hub: MemoryCoordinationHub, name: str) -> Unreachable:
    return Unreachable(MemoryCoordinator(clock, name, hub=hub))


async def watch(clock: ManualClock, elections: list[LeaderElection], seconds: float) -> set[int]:
    """Advance ``seconds`` in small steps, failing at any moment with two leaders; the indexes
    of the elections that led at some moment."""
    led: set[int] = set()
    for _ in range(round(seconds / STEP)):
        await clock.advance(STEP, step=STEP)
        leading = [i for i, each in enumerate(elections) if each.is_leader]
        assert len(leading) <= 1, f"two leaders at {clock.t:.2f}: {leading}"
        led.update(leading)
    return led


async def test_a_lone_leader_keeps_leading_through_an_outage_and_takes_the_lease_back(
    clock, hub, caplog
):
    solo = node(clock, hub, "solo")
    recorder = Recorder()
    leader = election(solo, clock, recorder, solo_fallback=True)
    await leader.start()
    assert not leader.is_leader, "a fresh instance waits one TTL of answered beats"
    await clock.advance(TTL + leader.beat_interval)
    assert leader.is_leader and recorder.calls == ["elected"]
    solo.cut = True
    with caplog.at_level(logging.INFO):
        await clock.advance(20 * TTL)  # 60 unanswered beats
        assert leader.is_leader and leader.on_local_lease
        assert recorder.calls == ["elected"], "its work never stopped"
        assert "solo" not in await solo.inner.live_instances()  # its lease expired meanwhile
        solo.cut = False
        await clock.advance(leader.beat_interval)
    assert leader.is_leader and not leader.on_local_lease
    assert hub.leases["leader"][0] == "solo"
    assert recorder.calls == ["elected"]
    logged = [r.getMessage() for r in caplog.records]
    assert sum("coordination.unreachable" in line for line in logged) == 1, logged
    assert sum("coordination.reachable" in line for line in logged) == 1, logged
    assert sum("coordination.local_lease" in line for line in logged) == 1, logged
    await leader.stop()


async def test_a_lone_leader_finding_the_lease_taken_on_return_demotes(clock, hub):
    solo = node(clock, hub, "solo")
    recorder = Recorder()
    leader = election(solo, clock, recorder, solo_fallback=True)
    await leader.start()
    await clock.advance(TTL + leader.beat_interval)
    solo.cut = True
    await clock.advance(2 * TTL)
    assert leader.on_local_lease
    assert await MemoryCoordinator(clock, "other", hub=hub).hold("leader", 10 * TTL)
    solo.cut = False
    await clock.advance(leader.beat_interval)
    assert not leader.is_leader and recorder.calls == ["elected", "demoted"]
    await leader.stop()


async def test_without_solo_fallback_a_lone_leader_still_demotes(clock, hub):
    solo = node(clock, hub, "solo")
    recorder = Recorder()
    leader = election(solo, clock, recorder)
    await leader.start()
    solo.cut = True
    await clock.advance(leader.beat_interval)
    assert not leader.is_leader and recorder.calls == ["elected", "demoted"]


async def test_a_leader_that_saw_another_instance_demotes_and_nobody_leads_without_the_backend(
    clock, hub
):
    nodes = [node(clock, hub, name) for name in ("a", "b")]
    recorders = [Recorder(), Recorder()]
    elections = [
        election(n, clock, r, solo_fallback=True) for n, r in zip(nodes, recorders, strict=True)
    ]
    for each in elections:
        await each.start()
    assert await watch(clock, elections, 2 * TTL) == {0}
    for each in nodes:
        each.cut = True
    await watch(clock, elections, elections[0].beat_interval + STEP)
    assert not any(each.is_leader for each in elections), "the leader saw b and demoted"
    assert await watch(clock, elections, 20 * TTL) == set(), "nobody promotes without Redis"
    for each in nodes:
        each.cut = False
    assert len(await watch(clock, elections, 2 * TTL)) == 1
    assert sum(each.is_leader for each in elections) == 1
    assert recorders[0].calls[:2] == ["elected", "demoted"]
    for each in elections:
        await each.stop()


async def test_an_instance_started_during_the_outage_never_leads_beside_the_lone_leader(clock, hub):
    solo, newcomer = node(clock, hub, "solo"), node(clock, hub, "new")
    first = election(solo, clock, Recorder(), solo_fallback=True)
    await first.start()  # beats at whole multiples of the beat interval
    await watch(clock, [first], 2 * TTL)
    solo.cut = newcomer.cut = True
    await watch(clock, [first], 2 * TTL + first.beat_interval / 2)
    second = election(newcomer, clock, Recorder(), solo_fallback=True)
    await second.start()  # fails; it beats half an interval before the lone leader does
    elections = [first, second]
    assert await watch(clock, elections, 5 * TTL) == {0}
    assert first.on_local_lease
    await clock.advance(first.beat_interval / 2 + 2 * STEP, step=STEP)  # just after its beat
    solo.cut = newcomer.cut = False  # the newcomer's next beat is answered first
    assert await watch(clock, elections, 3 * TTL) == {0}
    assert first.is_leader and not first.on_local_lease
    for each in elections:
        await each.stop()


async def test_an_instance_started_just_after_the_outage_never_leads_beside_the_lone_leader(
    clock, hub
):
    solo = node(clock, hub, "solo")
    first = election(solo, clock, Recorder(), solo_fallback=True)
    await first.start()
    await watch(clock, [first], 2 * TTL)
    solo.cut = True
    await watch(clock, [first], 3 * TTL + 2 * STEP)
    solo.cut = False  # the lone leader's next beat is most of an interval away
    second = election(node(clock, hub, "new"), clock, Recorder(), solo_fallback=True)
    await second.start()
    assert not second.is_leader, "the lease is free, yet the newcomer waits"
    assert await watch(clock, [first, second], 3 * TTL) == {0}
    assert first.is_leader and not first.on_local_lease
    for each in (first, second):
        await each.stop()


async def test_a_follower_does_not_take_the_lease_a_quick_backend_restart_emptied(clock, hub):
    first = election(node(clock, hub, "a"), clock, Recorder(), solo_fallback=True)
    await first.start()  # beats at whole multiples of the beat interval
    await clock.advance(first.beat_interval / 2, step=STEP)
    second = election(node(clock, hub, "b"), clock, Recorder(), solo_fallback=True)
    await second.start()  # half an interval later
    elections = [first, second]
    assert await watch(clock, elections, 3 * TTL - 2 * STEP) == {0}  # just after a's beat
    hub.leases.clear()  # Redis restarted between two beats: empty, and nobody saw it down
    hub.presence.clear()
    assert await watch(clock, elections, 3 * TTL) == {0}, "b took the emptied lease"
    assert hub.leases["leader"][0] == "a"
    for each in elections:
        await each.stop()
