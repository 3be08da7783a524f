"""The public status pages' data: the region list, a region's queues, a queue's page model
with its SVG chart, and the schedule PNG for link previews.

Everything comes from the schedule board (the latest check of each region, refreshed on
demand), so any instance serves any page, leader or not. The PNG is drawn off the event
loop once per (queue, language, day, schedule, trust) and kept; the pages themselves are
cached by the web layer.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from esvitlo.domain.catalogue import Catalogue, Region
from esvitlo.domain.freshness import Freshness
from esvitlo.domain.model import local_date, normalize_queue, queue_sort_key
from esvitlo.domain.schedule_svg import ChartDay, schedule_svg
from esvitlo.domain.status_page import PageFacts, QueuePage, queue_page
from esvitlo.domain.texts import queue_title, texts_for, web_texts_for
from esvitlo.ports import ChartRenderer, Clock
from esvitlo.services.schedule_board import QueueView, ScheduleBoard

PNG_CACHE_SIZE = 256


@dataclass(frozen=True, slots=True)
class RegionEntry:
    """A region in the list: id, name in the page's language, whether it has a schedule."""

    id: str
    name: str
    has_schedule: bool


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A queue in a region's list: its id (for the URL) and its title."""

    queue: str
    title: str


@dataclass(frozen=True, slots=True)
class RegionQueues:
    """A region's page: the region and its queues (None: not fetched yet, or no schedule)."""

    region: RegionEntry
    queues: tuple[QueueEntry, ...] | None


@dataclass(frozen=True, slots=True)
class SchedulePage:
    """A queue's page model, its chart as SVG text and a version of the data it shows."""

    region: RegionEntry
    queue: str
    page: QueuePage
    svg: str
    version: str


class PublicSchedules:
    """Answers the status pages from the schedule board and the catalogue."""

    def __init__(
        self,
        catalogue: Catalogue,
        board: ScheduleBoard,
        clock: Clock,
        chart: ChartRenderer | None = None,
    ) -> None:
        self._catalogue = catalogue
        self._board = board
        self._clock = clock
        self._chart = chart
        self._pngs: OrderedDict[str, bytes] = OrderedDict()

    @property
    def draws_images(self) -> bool:
        """Whether a schedule PNG can be served (a chart renderer was given)."""
        return self._chart is not None

    def regions(self, lang: str) -> list[RegionEntry]:
        """Every region of the catalogue, in its order."""
        return [self._entry(region, lang) for region in self._catalogue.regions]

    async def region(self, region_id: str, lang: str) -> RegionQueues | None:
        """A region and its queues in order; None for a region not in the catalogue."""
        region = self._catalogue.get(region_id)
        if region is None:
            return None
        entry = self._entry(region, lang)
        if not region.has_schedule:
            return RegionQueues(entry, None)
        known = await self._board.queues(region_id)
        if known is None:
            return RegionQueues(entry, None)
        texts = texts_for(lang)
        ordered = sorted(known, key=lambda item: queue_sort_key(item[0]))
        queues = tuple(QueueEntry(q, queue_title(texts, q, name)) for q, name in ordered)
        return RegionQueues(entry, queues)

    async def _view(self, region_id: str, queue: str) -> tuple[Region, QueueView] | None:
        region = self._catalogue.get(region_id)
        if region is None or not region.has_schedule:
            return None
        view = await self._board.view(region_id, queue, self._clock.now())
        if view is None or view.schedule is None:
            return None
        return region, view

    async def queue(self, region_id: str, queue: str, lang: str) -> SchedulePage | None:
        """A queue's page; None for an unknown region or queue (or one never fetched)."""
        found = await self._view(region_id, queue)
        if found is None:
            return None
        region, view = found
        texts, web = texts_for(lang), web_texts_for(lang)
        now = self._clock.now()
        snapshot = view.snapshot
        zone = snapshot.zone
        facts = PageFacts(
            region_name=region.name(lang),
            queue=normalize_queue(queue),
            schedule=view.schedule,
            zone=zone,
            freshness=_freshness(view),
            updated_at=snapshot.data_updated_at,
            checked_at=snapshot.observed_at,
        )
        page = queue_page(facts, now, texts, web)
        today = local_date(now, zone)
        schedule = view.schedule
        days = [
            ChartDay(panel.heading, panel.date, schedule.day(panel.date) if schedule else None)
            for panel in page.days
        ] or [ChartDay(texts.today, today, None)]
        titles = {
            "power": web.legend_power,
            "outage": web.legend_outage,
            "possible": web.legend_possible,
            "unknown": web.legend_unknown,
            "emergency": web.emergency_day,
        }
        svg = schedule_svg(days, now=now, zone=zone, label=web.chart_label, titles=titles)
        version = _digest(_days_key(view, today), view.status.value)
        return SchedulePage(self._entry(region, lang), facts.queue, page, svg, version)

    async def queue_png(self, region_id: str, queue: str, lang: str) -> tuple[bytes, str] | None:
        """The schedule image (no "now" mark, so it stays the same for hours) and its version;
        None for an unknown queue or without a renderer."""
        chart = self._chart
        found = await self._view(region_id, queue)
        if chart is None or found is None:
            return None
        region, view = found
        zone = view.snapshot.zone
        today = local_date(self._clock.now(), zone)
        queue = normalize_queue(queue)
        key = _digest(region.id, queue, lang, _days_key(view, today), view.status.value)
        cached = self._pngs.get(key)
        if cached is None:
            texts = texts_for(lang)
            schedule = view.schedule
            title = queue_title(texts, queue, schedule.name if schedule else None)
            cached = await asyncio.to_thread(
                chart.schedule_png,
                schedule,
                today=today,
                zone=zone,
                texts=texts,
                region=region.name(lang),
                queue=title,
                status=view.status,
            )
            self._pngs[key] = cached
            while len(self._pngs) > PNG_CACHE_SIZE:
                self._pngs.popitem(last=False)
        self._pngs.move_to_end(key)
        return cached, key

    def _entry(self, region: Region, lang: str) -> RegionEntry:
        return RegionEntry(region.id, region.name(lang), region.has_schedule)


def _freshness(view: QueueView) -> Freshness:
    return Freshness(view.status, view.stale_reason)


def _days_key(view: QueueView, today: date) -> str:
    """Today's date and the canonical text of today's and tomorrow's days."""
    schedule = view.schedule
    days = [schedule.day(today + timedelta(days=n)) if schedule else None for n in (0, 1)]
    return "|".join([today.isoformat(), *(d.canonical() if d else "-" for d in days)])


def _digest(*parts: str) -> str:
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=12).hexdigest()
