"""One probe cycle: every monitor probed once, starts spread evenly over the interval.

Each key starts at a phase fixed by a stable hash of the key, so a monitor is probed at the
same moment of every cycle and the load is even; a semaphore bounds the probes in flight
(and their result handling). One failing probe or callback never stops the cycle: it is
counted as an error and reported as INCONCLUSIVE.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.ports import Clock, Prober

logger = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
EARLY_START = 0.01  # seconds a probe may start before its phase rather than sleep for it


def stable_fraction(key: object) -> float:
    """A number in [0, 1) fixed by ``repr(key)``, the same in every process and run."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(slots=True)
class CycleStats:
    """What the last cycle did."""

    probes: int = 0
    errors: int = 0  # probes or callbacks that raised
    verdicts: Counter[ProbeVerdict] = field(default_factory=Counter)
    max_in_flight: int = 0
    seconds: float = 0.0


class ProbeCycle(Generic[K]):
    """Probes a set of keyed targets once per call of :meth:`run`."""

    def __init__(self, prober: Prober, clock: Clock, interval: float, concurrency: int) -> None:
        if interval <= 0 or concurrency < 1:
            raise ValueError("interval must be positive and concurrency at least 1")
        self._prober = prober
        self._clock = clock
        self.interval = interval
        self.concurrency = concurrency
        self.last_stats = CycleStats()
        self._in_flight = 0
        self._next_start: datetime | None = None

    def phase_of(self, key: K) -> float:
        """Seconds after a cycle's start at which ``key`` is probed."""
        return stable_fraction(key) * self.interval

    async def run(
        self,
        items: Sequence[tuple[K, MonitorTarget]],
        on_result: Callable[[K, ProbeResult], Awaitable[None]] | None = None,
    ) -> dict[K, ProbeResult]:
        """Probe every item at its phase; each result goes to ``on_result`` as it comes.

        Returns when every probe has finished and at least one interval has passed since
        the start. A run called within one interval after the previous cycle's end (its
        last probes ran past it) keeps that schedule: its cycle starts where the previous
        one ended, and the phases already past are probed at once. So back-to-back runs
        probe each key at the same phase.
        """
        start = self._cycle_start()
        stats = self.last_stats = CycleStats()
        results: dict[K, ProbeResult] = {}
        gate = asyncio.Semaphore(self.concurrency)
        tasks: list[asyncio.Task[None]] = []
        schedule = sorted(
            ((self.phase_of(key), index) for index, (key, _) in enumerate(items)),
        )
        for phase, index in schedule:
            wait = phase - self._elapsed(start)
            if wait > EARLY_START:
                await self._clock.sleep(wait)
            await gate.acquire()
            key, target = items[index]
            tasks.append(asyncio.create_task(self._one(key, target, gate, results, on_result)))
        await asyncio.gather(*tasks)
        rest = self.interval - self._elapsed(start)
        if rest > 0:
            await self._clock.sleep(rest)
        stats.seconds = self._elapsed(start)
        return results

    def _cycle_start(self) -> datetime:
        now = self._clock.now()
        planned = self._next_start
        if planned is None or not timedelta(0) <= now - planned < timedelta(seconds=self.interval):
            planned = now
        self._next_start = planned + timedelta(seconds=self.interval)
        return planned

    def _elapsed(self, start: datetime) -> float:
        return (self._clock.now() - start).total_seconds()

    async def _one(
        self,
        key: K,
        target: MonitorTarget,
        gate: asyncio.Semaphore,
        results: dict[K, ProbeResult],
        on_result: Callable[[K, ProbeResult], Awaitable[None]] | None,
    ) -> None:
        stats = self.last_stats
        self._in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, self._in_flight)
        try:
            result = await self._probe(key, target)
            results[key] = result
            stats.probes += 1
            stats.verdicts[result.verdict] += 1
            if on_result is not None:
                await on_result(key, result)
        except Exception as exc:  # a broken callback must not stop the cycle
            stats.errors += 1
            logger.warning("probe.result_failed key=%s error=%r", key, exc)
        finally:
            self._in_flight -= 1
            gate.release()

    async def _probe(self, key: K, target: MonitorTarget) -> ProbeResult:
        try:
            return await self._prober.probe(target)
        except Exception as exc:
            self.last_stats.errors += 1
            logger.warning("probe.failed key=%s error=%r", key, exc)
            return ProbeResult(ProbeVerdict.INCONCLUSIVE, "error", "probe_error")
