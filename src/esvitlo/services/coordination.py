"""Leadership and exclusive runs between instances, over the Coordinator port.

``LeaderElection`` beats every ``ttl / 3``: it announces the instance as live and takes or
extends the leader lease for ``ttl``. A beat that fails (the lease is someone else's, the
backend is unreachable, or no answer came within the beat) demotes a leader at once, well
before the lease it last extended ends, so two instances never both act as leader; the
others take the lease over once it expires, within two TTLs of the leader's death. The
composition root starts the leader's work in ``on_elected`` and stops it in ``on_demoted``;
both should return quickly (start or stop tasks), since beats wait for them.

``run_exclusive`` runs one job under a lock of its own, refreshed while the job runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from esvitlo.ports import Clock, Coordinator

logger = logging.getLogger(__name__)

Callback = Callable[[], Awaitable[None]]
LEADER_LEASE = "leader"


async def _nothing() -> None:
    return None


class LockLost(Exception):
    """An exclusive job lost its lock while running and was cancelled."""


class LeaderElection:
    """Keeps this instance announced and, while it can, the leader; calls back on changes."""

    def __init__(
        self,
        coordinator: Coordinator,
        clock: Clock,
        *,
        ttl: float = 15.0,
        on_elected: Callback = _nothing,
        on_demoted: Callback = _nothing,
        lease: str = LEADER_LEASE,
    ) -> None:
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl}")
        self._coordinator = coordinator
        self._clock = clock
        self._ttl = ttl
        self._on_elected = on_elected
        self._on_demoted = on_demoted
        self._lease = lease
        self._leader = False
        self._beating = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def is_leader(self) -> bool:
        """Whether this instance currently acts as the leader."""
        return self._leader

    @property
    def beat_interval(self) -> float:
        """Seconds between beats: a third of the TTL."""
        return self._ttl / 3

    async def start(self) -> None:
        """Beat once (a lone instance leads as soon as this returns), then keep beating."""
        await self.beat()
        self._task = asyncio.create_task(self._keep_beating(), name="leader-election")

    async def stop(self) -> None:
        """Stop beating; a leader stops its work and hands the lease back for others to take."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        async with self._beating:
            if self._leader:
                await self._demote("stopping")
            await self._coordinator.release(self._lease)
            await self._coordinator.leave()

    async def beat(self) -> bool:
        """Announce this instance and keep or seek leadership, acting on any change; whether
        this instance leads afterwards."""
        async with self._beating:
            started = self._clock.now().timestamp()
            held = await self._hold()
            late = self._clock.now().timestamp() - started >= self._ttl
            if held and not late:
                if not self._leader:
                    await self._elect()
            elif self._leader:
                await self._demote("late_answer" if held else "lease_lost")
            return self._leader

    async def _keep_beating(self) -> None:
        while True:
            await self._clock.sleep(self.beat_interval)
            try:
                await self.beat()
            except Exception:  # a bug in a beat must not end leadership checks
                logger.exception("coordination.beat_failed")

    async def _hold(self) -> bool:
        """Announce and hold the lease within one beat interval; False on any failure."""
        try:
            async with asyncio.timeout(self.beat_interval):
                await self._coordinator.announce(self._ttl)
                return await self._coordinator.hold(self._lease, self._ttl)
        except TimeoutError:
            logger.warning("coordination.beat_timeout instance=%s", self._coordinator.instance_id)
        except Exception as exc:
            logger.warning("coordination.beat_error error=%s", type(exc).__name__)
        return False

    async def _elect(self) -> None:
        self._leader = True
        logger.info("coordination.elected instance=%s", self._coordinator.instance_id)
        try:
            await self._on_elected()
        except Exception:
            logger.exception("coordination.elected_failed")
            await self._demote("start_failed")
            await self._coordinator.release(self._lease)

    async def _demote(self, reason: str) -> None:
        self._leader = False
        logger.warning(
            "coordination.demoted instance=%s reason=%s", self._coordinator.instance_id, reason
        )
        try:
            await self._on_demoted()
        except Exception:
            logger.exception("coordination.demoted_failed")


async def run_exclusive(
    coordinator: Coordinator,
    clock: Clock,
    name: str,
    ttl: float,
    job: Callable[[], Awaitable[object]],
) -> bool:
    """Run ``job`` only while this instance holds the lock ``name`` (for ``ttl`` seconds,
    extended every ``ttl / 3``), then release it; False, without running, when the lock is
    held elsewhere. Raises LockLost, with the job cancelled, when an extension fails."""
    if not await coordinator.hold(name, ttl):
        return False
    work = asyncio.ensure_future(job())
    keeper = asyncio.create_task(_keep_lock(coordinator, clock, name, ttl))
    try:
        await asyncio.wait({work, keeper}, return_when=asyncio.FIRST_COMPLETED)
        if not work.done():
            work.cancel()
            with suppress(asyncio.CancelledError):
                await work
            logger.warning("coordination.lock_lost name=%s", name)
            raise LockLost(name)
        work.result()
        return True
    finally:
        for task in (work, keeper):
            task.cancel()
        await asyncio.gather(work, keeper, return_exceptions=True)
        await coordinator.release(name)


async def _keep_lock(coordinator: Coordinator, clock: Clock, name: str, ttl: float) -> None:
    """Extend the lock every ``ttl / 3``; returns as soon as an extension fails."""
    while True:
        await clock.sleep(ttl / 3)
        if not await coordinator.hold(name, ttl):
            return
