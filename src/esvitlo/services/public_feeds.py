"""What the calendars and the JSON API serve, read from shared storage so any instance
answers any request.

The stored days are the last good schedule: an error run or a failed fetch never replaces
them, so a feed built from them is never emptied by a source outage. Each region's days are
kept in memory for a few seconds (a feed is asked for far more often than a schedule
changes); the instance whose watch checked a region drops its copy at once, and the others'
copies are at most ``ttl`` old.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.api_views import MonitorStatus, SourceState
from esvitlo.domain.calendar_feed import (
    CalendarEvent,
    CalendarFeed,
    EventKind,
    QueueLabels,
    StoredDay,
    calendar,
    measured_events,
    queue_events,
)
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import judge
from esvitlo.domain.model import normalize_queue, queue_sort_key
from esvitlo.domain.monitors import hash_secret
from esvitlo.domain.texts.feeds import FeedTexts, feed_texts_for
from esvitlo.ports import CalendarLinks, Clock, MonitorStates, RegionCheck, ScheduleArchive
from esvitlo.services.schedule_board import ScheduleBoard

HISTORY_DAYS = 30  # measured outages shown in a private calendar


class FeedNotFound(Exception):
    """No such region, queue or link."""


class FeedNotReady(Exception):
    """The region was never stored yet (a first check has not succeeded): nothing to serve,
    and an empty calendar would tell clients every event is gone."""


@dataclass(frozen=True, slots=True)
class RegionDays:
    """A region's stored days per queue, and a version that changes with any of them."""

    queues: Mapping[str, Sequence[StoredDay]]
    version: str


def _version(queues: Mapping[str, Sequence[StoredDay]]) -> str:
    digest = hashlib.sha256()
    for queue in sorted(queues):
        digest.update(queue.encode())
        for stored in queues[queue]:
            stamp = stored.updated_at.isoformat()
            digest.update(f"|{stored.day.date}:{stored.revision}:{stamp}".encode())
        digest.update(b";")
    return digest.hexdigest()[:20]


class StoredSchedules:
    """Each region's stored days, read through and kept for ``ttl``; a ChangeSink."""

    def __init__(
        self, archive: ScheduleArchive, clock: Clock, ttl: timedelta = timedelta(seconds=10)
    ) -> None:
        self._archive = archive
        self._clock = clock
        self._ttl = ttl
        self._kept: dict[str, tuple[datetime, RegionDays | None]] = {}
        self._loading: dict[str, asyncio.Future[RegionDays | None]] = {}

    async def region_checked(self, result: RegionCheck) -> None:
        """A check stored new days (or not): read the region again next time."""
        self._kept.pop(result.region, None)

    async def region(self, region: str) -> RegionDays | None:
        """The region's stored days (None: never stored); one read at a time per region."""
        kept = self._kept.get(region)
        now = self._clock.now()
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        loading = self._loading.get(region)
        if loading is not None:
            return await asyncio.shield(loading)
        future: asyncio.Future[RegionDays | None] = asyncio.get_running_loop().create_future()
        self._loading[region] = future
        try:
            queues = await self._archive.region_days(region)
            days = None if queues is None else RegionDays(queues, _version(queues))
            self._kept[region] = (now, days)
            future.set_result(days)
            return days
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
            raise
        finally:
            del self._loading[region]


@dataclass(frozen=True, slots=True)
class QueueDays:
    """One queue's stored days, its region and the region's version."""

    region: Region
    queue: str
    days: Sequence[StoredDay]
    version: str


class FeedSchedules:
    """Regions, queues, stored days and freshness for the public feeds and the API."""

    def __init__(
        self,
        regions: Sequence[Region],
        stored: StoredSchedules,
        clock: Clock,
        board: ScheduleBoard | None = None,
    ) -> None:
        self.regions = tuple(regions)
        self._by_id = {region.id: region for region in self.regions}
        self.stored = stored
        self._clock = clock
        self._board = board

    def region(self, region_id: str) -> Region:
        """The region, or FeedNotFound."""
        region = self._by_id.get(region_id)
        if region is None:
            raise FeedNotFound(region_id)
        return region

    async def _region_days(self, region_id: str) -> tuple[Region, RegionDays]:
        region = self.region(region_id)
        if not region.has_schedule:
            raise FeedNotFound(region_id)
        days = await self.stored.region(region.id)
        if days is None:
            raise FeedNotReady(region_id)
        return region, days

    async def queues(self, region_id: str) -> tuple[Region, list[str]]:
        """The region and its stored queues in order (none for a region without a schedule;
        FeedNotFound, FeedNotReady)."""
        if not (region := self.region(region_id)).has_schedule:
            return region, []
        region, days = await self._region_days(region_id)
        return region, sorted(days.queues, key=queue_sort_key)

    async def queue_names(self, region_id: str) -> dict[str, str | None]:
        """The feed's own names of a region's queues, as far as this instance's board knows."""
        if self._board is None:
            return {}
        return dict(await self._board.queues(region_id) or ())

    async def queue(self, region_id: str, queue: str) -> QueueDays:
        """One queue's stored days (FeedNotFound for an unknown queue)."""
        region, days = await self._region_days(region_id)
        name = normalize_queue(queue)
        if name not in days.queues:
            raise FeedNotFound(f"{region_id}/{queue}")
        return QueueDays(region, name, days.queues[name], days.version)

    async def source_state(self, region_id: str) -> SourceState:
        """The freshness of the region's latest check this instance knows of (checking it
        on demand like the bot, when its copy is missing or old)."""
        if self._board is None:
            return SourceState()
        check = await self._board.latest(region_id)
        if check is None:
            return SourceState()
        snapshot = check.snapshot
        trust = judge(snapshot, self._clock.now(), fetch_failed=check.fetch_failed)
        return SourceState(
            trust.status, trust.reason, snapshot.data_updated_at, snapshot.observed_at
        )


def _labels(region: Region, queue: str, texts: FeedTexts, names: Sequence[str] = ()) -> QueueLabels:
    return QueueLabels(region.name(texts.lang), texts.queue_title.format(queue=queue), tuple(names))


class CalendarFeeds:
    """The public calendar of a queue and the private calendar behind a user's secret link."""

    def __init__(
        self,
        schedules: FeedSchedules,
        links: CalendarLinks,
        *,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        self.schedules = schedules
        self._links = links
        self._history_days = history_days

    async def public(
        self, region_id: str, queue: str, kinds: frozenset[EventKind], lang: str
    ) -> tuple[CalendarFeed, str]:
        """A queue's calendar and the version of the data it was made from."""
        found = await self.schedules.queue(region_id, queue)
        texts = feed_texts_for(lang)
        labels = _labels(found.region, found.queue, texts)
        events = queue_events(
            found.region.id,
            found.queue,
            found.days,
            ZoneInfo(found.region.tz),
            kinds,
            texts,
            labels,
        )
        name = texts.calendar_name.format(region=labels.region_name, queue=labels.queue_title)
        about = texts.calendar_description.format(
            region=labels.region_name, queue=labels.queue_title
        )
        return calendar(name, about, events), found.version

    async def private(
        self, secret: str, kinds: frozenset[EventKind], lang: str | None
    ) -> CalendarFeed:
        """The calendar of the link's owner: every address's queue (addresses sharing a queue
        are one set of events naming both) and the outages their monitors measured."""
        data = await self._links.feed_data(hash_secret(secret), self._history_days)
        if data is None:
            raise FeedNotFound("calendar link")
        texts = feed_texts_for(lang or data.language)
        grouped: dict[tuple[str, str], list[str]] = {}
        for address in data.addresses:
            grouped.setdefault((address.region, address.queue), []).append(address.label)
        events: list[CalendarEvent] = []
        for (region_id, queue), names in grouped.items():
            try:
                found = await self.schedules.queue(region_id, queue)
            except (FeedNotFound, FeedNotReady):
                continue  # a region without a schedule, or not checked yet: nothing to add
            labels = _labels(found.region, found.queue, texts, names)
            zone = ZoneInfo(found.region.tz)
            events += queue_events(region_id, found.queue, found.days, zone, kinds, texts, labels)
        events += measured_events(data.outages, texts)
        return calendar(texts.private_calendar_name, texts.private_calendar_description, events)

    async def new_link(self, user_id: int) -> str:
        """A new secret for the user's private calendar; the old link stops working. Only
        its hash is stored: this is the one time the secret is seen."""
        secret = secrets.token_urlsafe(24)
        await self._links.replace(user_id, hash_secret(secret))
        return secret

    async def revoke(self, user_id: int) -> bool:
        """Turn the user's private link off; False when there was none."""
        return await self._links.revoke(user_id)

    async def has_link(self, user_id: int) -> bool:
        """Whether the user has a private link."""
        return await self._links.has_link(user_id)


class MonitorLookup:
    """A monitor's state for the API, by the secret of its heartbeat URL."""

    def __init__(self, states: MonitorStates) -> None:
        self._states = states

    async def by_secret(self, secret: str) -> MonitorStatus | None:
        """The monitor whose heartbeat secret is ``secret``, or None."""
        return await self._states.by_secret(hash_secret(secret))
