"""Schedule documents and their checks: fetching sources, a cache shared between instances,
the store of last known days, and the sink that hears each region's verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from esvitlo.domain.alerts import ChangeAlert
from esvitlo.domain.changes import QueueCheck
from esvitlo.domain.channel_posts import ChannelPost
from esvitlo.domain.model import DaySchedule, RegionSnapshot


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


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A fetched source document kept for other instances, with its ETag."""

    body: bytes
    etag: str | None = None


class SourceCache(Protocol):
    """Fetched source documents shared between instances, each kept for a while."""

    async def get(self, url: str) -> CachedDocument | None:
        """The document cached for ``url``, or None (also when the cache is unreachable)."""
        ...

    async def put(self, url: str, document: CachedDocument, ttl: float) -> None:
        """Keep ``document`` for ``url`` for ``ttl`` seconds (silently skipped when unreachable)."""
        ...


class ScheduleStore(Protocol):
    """Keeps the last known days of every (region, queue)."""

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]] | None:
        """All stored queues of a region, or None when the region was never stored."""
        ...

    async def save(self, region: str, queues: Mapping[str, Mapping[date, DaySchedule]]) -> None:
        """Replace the stored days of the given queues of a region."""
        ...

    async def save_and_plan(
        self,
        region: str,
        queues: Mapping[str, Mapping[date, DaySchedule]],
        alerts: Sequence[ChangeAlert],
        posts: Sequence[ChannelPost] = (),
    ) -> int:
        """Save like ``save`` and queue every alert for its recipients, atomically.

        An alert (one per changed queue) is one message per follower whose settings want
        any of its parts; ``posts`` (one per changed queue, going with that queue's alert)
        are queued for the active channels linked to the queue. Returns the messages queued;
        an alert or post already planned queues nothing again, and a message still waiting
        on the same topic is replaced by the newer one.
        """
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
