"""Leadership and exclusive runs between instances, over the Coordinator port.

``LeaderElection`` beats every ``ttl / 3``: it reads which instances are live, announces
this one and takes or extends the leader lease for ``ttl``. A beat the backend
refuses (someone else holds the lease) demotes a leader at once. A beat that gets no answer
(the backend is unreachable, or no answer came within the beat) demotes a leader too, well
before the lease it last extended ends, so two instances never both act as leader; the
others take the lease over once it expires, within two TTLs of the leader's death.

With ``solo_fallback`` (the composition root sets it over Redis) one instance alone keeps
working through a backend outage. The rule:

- only the leader whose last answered presence read showed no other live instance keeps
  leading, on a local lease, when a beat gets no answer; a leader that saw others demotes;
- on the local lease it beats on: the first answered beat takes the lease again, or finds it
  held by another instance and demotes;
- any other instance (a follower, or one starting while the backend is unreachable) takes a
  free lease only after its beats have been answered without a failure for one ``ttl``
  (a backend that forgot this instance's presence, restarted between two beats, counts as
  a failure). The solo leader has taken its lease again by then (within two beat intervals
  of the backend's return), so an instance that saw the outage, or starts just after it,
  cannot lead beside it; nor can a follower take the lease a quick restart emptied before
  its leader holds it again.

This never yields two leaders when the backend is down for everyone. It can when the solo
leader alone is cut off from a backend others still reach (a network partition) and a new
instance starts meanwhile: the newcomer sees no leader and takes the lease while the cut-off
one leads locally, until its first answered beat demotes it. Nothing both could reach would
tell them apart; a leader that saw another live instance never keeps leading, so this needs
a single instance, a partition and a start during it.

The composition root starts the leader's work in ``on_elected`` and stops it in
``on_demoted``; both should return quickly (start or stop tasks), since beats wait for them.
Unanswered beats are logged once per outage (``coordination.unreachable``, then
``coordination.reachable`` with how long it lasted).

``run_exclusive`` runs one job under a lock of its own, refreshed while the job runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from esvitlo.ports import Clock, CoordinationUnavailable, Coordinator

logger = logging.getLogger(__name__)

Callback = Callable[[], Awaitable[None]]
LEADER_LEASE = "leader"


async def _nothing() -> None:
    return None


class LockLost(Exception):
    """An exclusive job lost its lock while running and was cancelled."""


class _Unanswered(Exception):
    """A beat got no usable answer from the backend (``reason`` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        solo_fallback: bool = False,
    ) -> None:
        if ttl <= 0:
            raise ValueError(f"ttl must be positive, got {ttl}")
        self._coordinator = coordinator
        self._clock = clock
        self._ttl = ttl
        self._on_elected = on_elected
        self._on_demoted = on_demoted
        self._lease = lease
        self._solo_fallback = solo_fallback
        self._leader = False
        self._local = False
        self._alone = False
        self._answered_since: float | None = None
        self._announced_at: float | None = None
        self._unreachable_since: float | None = None
        self._failed_beats = 0
        self._beating = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def is_leader(self) -> bool:
        """Whether this instance currently acts as the leader."""
        return self._leader

    @property
    def on_local_lease(self) -> bool:
        """Whether this instance leads without the backend (a lone leader during an outage)."""
        return self._leader and self._local

    @property
    def beat_interval(self) -> float:
        """Seconds between beats: a third of the TTL."""
        return self._ttl / 3

    async def start(self) -> None:
        """Beat once (without ``solo_fallback`` a lone instance leads as soon as this
        returns), then keep beating."""
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
            started = self._now()
            try:
                held = await self._ask(started)
                if self._now() - started >= self._ttl:
                    raise _Unanswered("late_answer")
            except _Unanswered as unanswered:
                await self._unanswered(unanswered.reason, started)
                return self._leader
            self._answered(started)
            if held and not self._leader:
                await self._elect()
            elif held and self._local:
                self._local = False
                logger.info("coordination.lease_retaken instance=%s", self._id)
            elif not held and self._leader:
                await self._demote("lease_lost")
            return self._leader

    async def _keep_beating(self) -> None:
        while True:
            await self._clock.sleep(self.beat_interval)
            try:
                await self.beat()
            except Exception:  # a bug in a beat must not end leadership checks
                logger.exception("coordination.beat_failed")

    async def _ask(self, now: float) -> bool:
        """Read presence, announce and (unless still settling) hold the lease within one beat
        interval: whether the lease is ours; _Unanswered when the backend did not answer."""
        try:
            async with asyncio.timeout(self.beat_interval):
                live = await self._coordinator.live_instances()
                self._notice_forgetting(live, now)
                await self._coordinator.announce(self._ttl)
                self._announced_at = now
                self._alone = not set(live) - {self._id}
                if not self._leader and not self._settled(now):
                    return False
                return await self._coordinator.hold(self._lease, self._ttl)
        except TimeoutError:
            raise _Unanswered("timeout") from None
        except CoordinationUnavailable:
            raise _Unanswered("unreachable") from None
        except Exception as exc:
            raise _Unanswered(type(exc).__name__) from None

    def _notice_forgetting(self, live: list[str], now: float) -> None:
        """A backend that lost this instance's unexpired presence lost its data (a restart
        between two beats): settle again, as after an outage, so a follower does not take
        the emptied lease before its leader holds it again."""
        announced = self._announced_at
        if announced is None or self._id in live or now - announced >= self._ttl:
            return
        if self._solo_fallback and not self._leader:
            self._answered_since = now
        logger.warning("coordination.backend_forgot instance=%s", self._id)

    def _settled(self, now: float) -> bool:
        """Whether this instance may take a free lease: at once without ``solo_fallback``,
        else once its beats have been answered for one TTL without a failure."""
        if not self._solo_fallback:
            return True
        since = self._answered_since if self._answered_since is not None else now
        return now - since >= self._ttl

    def _answered(self, started: float) -> None:
        if self._answered_since is None:
            self._answered_since = started
        if self._unreachable_since is not None:
            logger.info(
                "coordination.reachable instance=%s after_s=%.1f failed_beats=%d",
                self._id,
                started - self._unreachable_since,
                self._failed_beats,
            )
            self._unreachable_since = None
            self._failed_beats = 0

    async def _unanswered(self, reason: str, started: float) -> None:
        """No answer: keep leading on a local lease when alone (see the module's rule), else
        demote; logged once per outage."""
        self._answered_since = None
        self._failed_beats += 1
        if self._unreachable_since is None:
            self._unreachable_since = started
            logger.warning("coordination.unreachable instance=%s reason=%s", self._id, reason)
        if not self._leader or self._local:
            return
        if self._solo_fallback and self._alone:
            self._local = True
            logger.warning("coordination.local_lease instance=%s reason=%s", self._id, reason)
            return
        await self._demote(reason)

    @property
    def _id(self) -> str:
        return self._coordinator.instance_id

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def _elect(self) -> None:
        self._leader = True
        self._local = False
        logger.info("coordination.elected instance=%s", self._id)
        try:
            await self._on_elected()
        except Exception:
            logger.exception("coordination.elected_failed")
            await self._demote("start_failed")
            with suppress(CoordinationUnavailable):
                await self._coordinator.release(self._lease)

    async def _demote(self, reason: str) -> None:
        self._leader = False
        self._local = False
        logger.warning("coordination.demoted instance=%s reason=%s", self._id, reason)
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
    held elsewhere or the backend is unreachable. Raises LockLost, with the job cancelled,
    when an extension fails."""
    if not await _held(coordinator, name, ttl):
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
        if not await _held(coordinator, name, ttl):
            return


async def _held(coordinator: Coordinator, name: str, ttl: float) -> bool:
    """Take or extend the lock; False when it is held elsewhere or the backend is unreachable."""
    try:
        return await coordinator.hold(name, ttl)
    except CoordinationUnavailable:
        return False
