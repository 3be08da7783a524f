"""Protocols for the edges of the system; services depend on these, adapters implement them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from esvitlo.domain.changes import QueueCheck
from esvitlo.domain.model import DaySchedule, RegionSnapshot


class Clock(Protocol):
    """Time source; tests drive it by hand."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait; a fake clock may return at once."""
        ...


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document; ``body`` is None when the server answered 304 Not Modified."""

    body: bytes | None
    etag: str | None = None


class SourceUnavailable(Exception):
    """A source could not be fetched (network error, timeout, bad status)."""


class ScheduleSource(Protocol):
    """Fetches raw schedule documents by URL."""

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        """Fetch ``url``; raise SourceUnavailable when it cannot be had."""
        ...


class ScheduleStore(Protocol):
    """Keeps the last known days of every (region, queue)."""

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]] | None:
        """All stored queues of a region, or None when the region was never stored."""
        ...

    async def save(self, region: str, queues: Mapping[str, Mapping[date, DaySchedule]]) -> None:
        """Replace the stored days of the given queues of a region."""
        ...


@dataclass(frozen=True, slots=True)
class RegionCheck:
    """The outcome of one check of one region: the snapshot used and each queue's verdict."""

    region: str
    snapshot: RegionSnapshot
    checks: Mapping[str, QueueCheck]
    fetch_failed: bool
    source_url: str
    errors: tuple[str, ...] = ()

    def summary(self) -> str:
        """Decision counts such as ``changed=1 no_change=11``, marked when the copy is stale."""
        counts = Counter(check.decision.value for check in self.checks.values())
        text = " ".join(f"{name}={n}" for name, n in sorted(counts.items())) or "no_queues"
        return f"stale {text}" if self.fetch_failed else text


class ChangeSink(Protocol):
    """Receives what a schedule check found (later: the delivery outbox planner)."""

    async def region_checked(self, result: RegionCheck) -> None:
        """Called once per completed check of a region, with the verdict per queue."""
        ...
