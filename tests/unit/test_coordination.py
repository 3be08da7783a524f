"""LeaderElection and run_exclusive over in-process coordinators, in manual time."""

from __future__ import annotations

import asyncio
import logging

import pytest

from coordination_rig import TTL, Recorder, Unreachable, election, settle
from esvitlo.adapters.memory_coordinator import MemoryCoordinator
from esvitlo.ports import CoordinationEvent
from esvitlo.services.coordination import LeaderElection, LockLost, run_exclusive

pytest_plugins = ("coordination_fixtures",)


async def test_a_lone_instance_leads_from_start_until_stop(clock, hub):
    coordinator = MemoryCoordinator(clock, "solo", hub=hub)
    recorder = Recorder()
    leader = election(coordinator, clock, recorder)
    await leader.start()
    assert leader.is_leader and recorder.calls == ["elected"]
    assert await coordinator.live_instances() == ["solo"]
    await clock.advance(10 * TTL)
    assert leader.is_leader and recorder.calls == ["elected"]
    await leader.stop()
    assert not leader.is_leader and recorder.calls == ["elected", "demoted"]
    assert await coordinator.live_instances() == []
    assert await MemoryCoordinator(clock, "next", hub=hub).hold("leader", TTL)


async def test_one_leader_and_a_cut_off_leader_is_replaced_without_overlap(clock, hub):
    nodes = [Unreachable(MemoryCoordinator(clock, f"n{i}", hub=hub)) for i in range(3)]
    recorders = [Recorder() for _ in nodes]
    elections = [election(n, clock, r) for n, r in zip(nodes, recorders, strict=True)]
    for each in elections:
        await each.start()
    assert [e.is_leader for e in elections] == [True, False, False]
    nodes[0].cut = True
    took_over_at = None
    for _ in range(int(2 * TTL / 0.1)):
        await clock.advance(0.1)
        leading = [e for e in elections if e.is_leader]
        assert len(leading) <= 1, "two leaders at once"
        if leading and leading[0] is not elections[0] and took_over_at is None:
            took_over_at = clock.t
    assert took_over_at is not None and took_over_at <= 2 * TTL
    assert recorders[0].calls == ["elected", "demoted"]
    assert sum(r.calls == ["elected"] for r in recorders[1:]) == 1
    for each in elections:
        await each.stop()


async def test_a_leader_demotes_itself_at_the_first_failed_beat_and_recovers(clock, hub):
    node = Unreachable(MemoryCoordinator(clock, "n", hub=hub))
    recorder = Recorder()
    leader = election(node, clock, recorder)
    await leader.start()
    node.cut = True
    await clock.advance(leader.beat_interval)
    assert not leader.is_leader and recorder.calls == ["elected", "demoted"]
    node.cut = False
    await clock.advance(leader.beat_interval)
    assert leader.is_leader and recorder.calls == ["elected", "demoted", "elected"]
    await leader.stop()


async def test_a_beat_without_answer_demotes_the_leader(clock, hub):
    node = Unreachable(MemoryCoordinator(clock, "n", hub=hub))
    recorder = Recorder()
    leader = LeaderElection(node, clock, ttl=0.15, on_demoted=recorder.demoted)
    assert await leader.beat()
    node.hang = True
    assert not await leader.beat()  # gives up after ttl / 3 of real time
    assert recorder.calls == ["demoted"]


async def test_an_answer_later_than_the_lease_counts_as_lost(clock, hub):
    class Slow(Unreachable):
        async def hold(self, name: str, ttl: float) -> bool:
            clock.t += ttl
            return await self.inner.hold(name, ttl)

    node = Unreachable(MemoryCoordinator(clock, "n", hub=hub))
    leader = LeaderElection(node, clock, ttl=TTL)
    assert await leader.beat()
    leader._coordinator = Slow(node.inner)
    assert not await leader.beat()


async def test_a_failing_start_gives_the_lease_back(clock, hub, caplog):
    async def broken() -> None:
        raise RuntimeError("cannot start polling")

    coordinator = MemoryCoordinator(clock, "n", hub=hub)
    leader = LeaderElection(coordinator, clock, ttl=TTL, on_elected=broken)
    with caplog.at_level(logging.ERROR):
        assert not await leader.beat()
    assert "coordination.elected_failed" in caplog.text
    assert await MemoryCoordinator(clock, "other", hub=hub).hold("leader", TTL)


async def test_run_exclusive_runs_once_and_releases(clock, hub):
    first, second = MemoryCoordinator(clock, "a", hub=hub), MemoryCoordinator(clock, "b", hub=hub)
    started, finish = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def job() -> None:
        runs.append("a")
        started.set()
        await finish.wait()

    running = asyncio.create_task(run_exclusive(first, clock, "reminders", TTL, job))
    await started.wait()
    await clock.advance(3 * TTL)  # refreshed meanwhile: the lease never lapses
    assert not await run_exclusive(second, clock, "reminders", TTL, job)
    finish.set()
    assert await running
    assert runs == ["a"]
    assert await second.hold("reminders", TTL)


async def test_run_exclusive_cancels_a_job_whose_lock_is_lost(clock, hub):
    node = Unreachable(MemoryCoordinator(clock, "a", hub=hub))
    cancelled = asyncio.Event()

    async def job() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    running = asyncio.create_task(run_exclusive(node, clock, "digest", TTL, job))
    await settle()
    node.cut = True
    await clock.advance(TTL / 3)
    with pytest.raises(LockLost):
        await running
    assert cancelled.is_set()


async def test_run_exclusive_passes_the_jobs_error_on_and_releases(clock, hub):
    coordinator = MemoryCoordinator(clock, "a", hub=hub)

    async def job() -> None:
        raise ValueError("bad run")

    with pytest.raises(ValueError, match="bad run"):
        await run_exclusive(coordinator, clock, "digest", TTL, job)
    assert await MemoryCoordinator(clock, "b", hub=hub).hold("digest", TTL)


async def test_events_reach_other_instances_on_the_hub(clock, hub):
    seen: list[CoordinationEvent] = []

    async def record(event: CoordinationEvent) -> None:
        seen.append(event)

    listener = MemoryCoordinator(clock, "a", hub=hub)
    await listener.subscribe("settings", record)
    await MemoryCoordinator(clock, "b", hub=hub).publish("settings", '{"user": 1}')
    assert seen == [CoordinationEvent("settings", '{"user": 1}', "b")]
    await listener.close()
    await MemoryCoordinator(clock, "b", hub=hub).publish("settings", "again")
    assert len(seen) == 1


async def test_run_exclusive_does_not_run_while_the_backend_is_unreachable(clock, hub):
    node = Unreachable(MemoryCoordinator(clock, "a", hub=hub))
    node.cut = True
    runs: list[str] = []

    async def job() -> None:
        runs.append("a")

    assert not await run_exclusive(node, clock, "digest", TTL, job)
    assert runs == []
