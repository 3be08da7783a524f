"""The calendars and the JSON API, put together from storage, the board and Settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from esvitlo.adapters.sql.calendar_feeds import (
    SqlCalendarLinks,
    SqlMonitorStates,
    SqlScheduleArchive,
)
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.catalogue import Catalogue
from esvitlo.ports import Clock
from esvitlo.services.public_feeds import (
    CalendarFeeds,
    FeedSchedules,
    MonitorLookup,
    StoredSchedules,
)
from esvitlo.services.schedule_board import ScheduleBoard
from esvitlo.settings import Settings

if TYPE_CHECKING:  # aiohttp.web is imported only when the service runs
    from esvitlo.web.api import ApiDeps


@dataclass(frozen=True, slots=True)
class Feeds:
    """The feeds' parts: ``stored`` is a ChangeSink (a check drops its region's copy)."""

    stored: StoredSchedules
    schedules: FeedSchedules
    calendars: CalendarFeeds
    monitors: MonitorLookup
    rate_limit: int

    def api(self, clock: Clock) -> ApiDeps:
        """What the JSON API needs."""
        from esvitlo.web.api import ApiDeps

        return ApiDeps(self.schedules, self.monitors, clock, self.rate_limit)


def make_feeds(
    settings: Settings,
    catalogue: Catalogue,
    storage: SqlStorage,
    board: ScheduleBoard,
    clock: Clock,
) -> Feeds:
    """The calendars and the API over the shared database (any instance serves them)."""
    stored = StoredSchedules(SqlScheduleArchive(storage.engine), clock)
    schedules = FeedSchedules(catalogue.regions, stored, clock, board)
    links = SqlCalendarLinks(storage.engine, clock)
    return Feeds(
        stored=stored,
        schedules=schedules,
        calendars=CalendarFeeds(schedules, links),
        monitors=MonitorLookup(SqlMonitorStates(storage.engine)),
        rate_limit=settings.api_rate_limit,
    )
