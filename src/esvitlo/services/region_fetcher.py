"""Fetch one region's schedule from its sources in priority order, each behind a breaker.

Every newly parsed document's warnings are logged and counted here (a 304 reuses a parse
already told): values the parser did not know with their queue and value, and the rest.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from types import MappingProxyType

from esvitlo.domain import documents
from esvitlo.domain.catalogue import Region, Source, display_url
from esvitlo.domain.model import RegionSnapshot, ScheduleFormatError
from esvitlo.ports import Clock, ScheduleSource, SourceUnavailable
from esvitlo.services.breaker import BreakerState, CircuitBreaker

logger = logging.getLogger(__name__)

WARNINGS_LOGGED = 20
"""Log lines one document's warnings may take; a feed writing a new code everywhere would
otherwise log a line per queue and day on every poll."""


class RegionUnavailable(Exception):
    """No source of a region answered and there is no earlier copy to fall back on.

    ``summary`` says so in one line; ``errors`` holds one short reason per source.
    """

    def __init__(self, region_id: str, errors: Sequence[str]) -> None:
        self.summary = f"region {region_id!r}: no source answered and no earlier copy"
        self.errors = tuple(errors)
        super().__init__(f"{self.summary}: " + "; ".join(self.errors))


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a region fetch produced.

    ``fetch_failed`` is True when every source failed and ``snapshot`` is the last copy
    fetched earlier; ``source_url`` is the source that gave ``snapshot``.
    """

    snapshot: RegionSnapshot
    source_url: str
    fetch_failed: bool = False
    errors: tuple[str, ...] = ()


@dataclass(slots=True)
class _SourceMemory:
    """Per-source state: its breaker and the validator and parse of its last good answer."""

    breaker: CircuitBreaker
    etag: str | None = None
    snapshot: RegionSnapshot | None = None


class RegionFetcher:
    """Gets a region's current snapshot from the first source that answers well.

    A source that cannot be fetched or parsed counts as a failure of its breaker and the
    next source is tried. A document whose feed reports its own error (``source_ok`` False)
    is a valid but degraded answer: a later source answering with ``source_ok`` True wins,
    otherwise the degraded document is returned. When every source fails, the last snapshot
    returned before comes back with ``fetch_failed`` True; with none, RegionUnavailable.
    """

    def __init__(
        self,
        region: Region,
        source: ScheduleSource,
        clock: Clock,
        *,
        failure_threshold: int = 3,
        reset_after: timedelta = timedelta(minutes=10),
    ) -> None:
        if not region.sources:
            raise ValueError(f"region {region.id!r} has no sources")
        self._region = region
        self._source = source
        self._clock = clock
        self._memory = [
            _SourceMemory(CircuitBreaker(failure_threshold, reset_after)) for _ in region.sources
        ]
        self._last: FetchResult | None = None
        self._parse_warnings: Counter[str] = Counter()

    @property
    def region(self) -> Region:
        """The region this fetcher serves."""
        return self._region

    @property
    def breakers(self) -> Mapping[str, CircuitBreaker]:
        """Each source's breaker by URL, read-only."""
        return MappingProxyType(
            {s.url: m.breaker for s, m in zip(self._region.sources, self._memory, strict=True)}
        )

    def breaker_states(self) -> Mapping[str, BreakerState]:
        """Each source's breaker state by URL."""
        return {url: breaker.state for url, breaker in self.breakers.items()}

    @property
    def parse_warnings(self) -> Mapping[str, int]:
        """Warnings of the documents parsed so far, by kind: ``hour_value`` and ``slot_type``
        (a value the parser did not know, one per hour or slot), ``document`` (the rest)."""
        return MappingProxyType(self._parse_warnings)

    async def fetch(self) -> FetchResult:
        """The region's snapshot from the best available source; see the class docstring."""
        errors: list[str] = []
        degraded: FetchResult | None = None
        for source, memory in zip(self._region.sources, self._memory, strict=True):
            snapshot = await self._try_source(source, memory, errors)
            if snapshot is None:
                continue
            result = FetchResult(snapshot, source.url, errors=tuple(errors))
            if snapshot.source_ok:
                self._last = result
                return result
            logger.warning(
                "schedule.source_degraded region=%s source=%s message=%s",
                self._region.id,
                display_url(source.url),
                snapshot.source_message,
            )
            errors.append(f"{display_url(source.url)}: feed error: {snapshot.source_message}")
            degraded = degraded or result
        if degraded is not None:
            self._last = degraded
            return degraded
        return self._fall_back(errors)

    def _fall_back(self, errors: list[str]) -> FetchResult:
        if self._last is None:
            raise RegionUnavailable(self._region.id, errors)
        logger.warning(
            "schedule.region_stale region=%s source=%s errors=%d",
            self._region.id,
            display_url(self._last.source_url),
            len(errors),
        )
        return FetchResult(
            self._last.snapshot, self._last.source_url, fetch_failed=True, errors=tuple(errors)
        )

    async def _try_source(
        self, source: Source, memory: _SourceMemory, errors: list[str]
    ) -> RegionSnapshot | None:
        """One source's snapshot, or None after recording why it gave none."""
        shown = display_url(source.url)
        if not memory.breaker.allow(self._clock.now()):
            logger.info(
                "schedule.source_skipped region=%s source=%s breaker=open", self._region.id, shown
            )
            errors.append(f"{shown}: circuit open")
            return None
        try:
            snapshot = await self._fetch_source(source, memory)
        except (SourceUnavailable, ScheduleFormatError) as exc:
            memory.breaker.record_failure(self._clock.now())
            logger.warning(
                "schedule.fetch_failed region=%s source=%s breaker=%s error=%s",
                self._region.id,
                shown,
                memory.breaker.state,
                exc,
            )
            # the source's own messages already name the URL
            errors.append(str(exc) if isinstance(exc, SourceUnavailable) else f"{shown}: {exc}")
            return None
        memory.breaker.record_success()
        return snapshot

    async def _fetch_source(self, source: Source, memory: _SourceMemory) -> RegionSnapshot:
        """Fetch and parse one source, reusing the remembered parse on 304 Not Modified."""
        etag = memory.etag if memory.snapshot is not None else None
        fetched = await self._source.fetch(source.url, etag)
        if fetched.body is None:
            if memory.snapshot is None:
                raise SourceUnavailable(
                    f"{display_url(source.url)}: 304 Not Modified without a remembered copy"
                )
            logger.debug(
                "schedule.not_modified region=%s source=%s",
                self._region.id,
                display_url(source.url),
            )
            return memory.snapshot
        doc = documents.decode_json(fetched.body)
        snapshot = documents.parse_document(
            doc, kind=source.kind, region=self._region.id, tz=self._region.tz
        )
        memory.etag, memory.snapshot = fetched.etag, snapshot
        self._tell_warnings(snapshot, display_url(source.url))
        logger.info(
            "schedule.fetched region=%s source=%s bytes=%d queues=%d source_ok=%s",
            self._region.id,
            display_url(source.url),
            len(fetched.body),
            len(snapshot.queues),
            snapshot.source_ok,
        )
        return snapshot

    def _tell_warnings(self, snapshot: RegionSnapshot, shown: str) -> None:
        """Count a new document's warnings and log them, one line per unknown value (with
        its queue and the dates it is on) and per other warning, at most WARNINGS_LOGGED."""
        self._parse_warnings.update(item.kind for item in snapshot.unreadable)
        self._parse_warnings.update(document=len(snapshot.warnings))
        dates: dict[tuple[str, str, str], list[str]] = {}
        for item in snapshot.unreadable:
            where = dates.setdefault((item.queue, item.kind, item.value), [])
            where.append(item.day.isoformat() if item.day else "template")
        lines: list[tuple[str, tuple[str, ...]]] = [
            ("schedule.unreadable_value region=%s source=%s queue=%s kind=%s value=%s dates=%s",
             (self._region.id, shown, queue, kind, value, ",".join(sorted(set(days)))))
            for (queue, kind, value), days in dates.items()
        ]  # fmt: skip
        lines += [
            ("schedule.parse_warning region=%s source=%s warning=%s",
             (self._region.id, shown, warning))
            for warning in snapshot.warnings
        ]  # fmt: skip
        for message, values in lines[:WARNINGS_LOGGED]:
            logger.warning(message, *values)
        if len(lines) > WARNINGS_LOGGED:
            logger.warning(
                "schedule.parse_warnings_cut region=%s source=%s logged=%d total=%d",
                self._region.id, shown, WARNINGS_LOGGED, len(lines),
            )  # fmt: skip
