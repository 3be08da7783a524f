"""The reminder planner's memory: each region's stored days as last loaded, and per queue
what it was last planned from, when, and which lead times its followers wanted then.

With it a periodic run picks the queues whose reminders may need a change
(:mod:`esvitlo.domain.reminder_agenda`) and leaves the others unread. It lives in one
process and is lost on restart or a change of leader: the planner then starts with a full
pass, as it does every ``full_every`` anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.reminder_agenda import Agenda, agenda, plan_day
from esvitlo.domain.reminder_alerts import (
    GRACE,
    Lead,
    QueueReminders,
    chosen_leads,
    queue_reminders,
)
from esvitlo.domain.reminders import Reminder

StoredDays = Mapping[str, Mapping[date, DaySchedule]]

_DEFAULTS = NotificationSettings(0)
NEWCOMER_LEADS = chosen_leads(
    _DEFAULTS.reminders, _DEFAULTS.remind_before_off, _DEFAULTS.remind_before_on
)
"""Lead times always looked at: someone who starts following a queue has these."""


@dataclass(slots=True)
class _Queue:
    """One queue: its last planning (basis, when, wanted lead times) and its day's reminders."""

    basis: Mapping[date, str] | None = None
    since: datetime | None = None
    leads: frozenset[Lead] | None = None  # None: not known, all are looked at
    planned_for: tuple[date, Mapping[date, str]] | None = None
    planned: tuple[Reminder, ...] = ()
    agenda: Agenda = field(default_factory=Agenda)


@dataclass(slots=True)
class _Stored:
    days: StoredDays
    basis: dict[str, dict[date, str]]


class ReminderBook:
    """What the planner knows between runs; see the module docstring."""

    def __init__(self, window: timedelta) -> None:
        self._window = window
        self._stored: dict[str, _Stored] = {}
        self._queues: dict[tuple[str, str], _Queue] = {}
        self._followed: dict[str, set[str]] = {}

    def knows(self, region: str) -> bool:
        """Whether the region's days have been loaded since the start."""
        return region in self._stored

    def loaded(self, region: str, days: StoredDays) -> None:
        """Keep a region's freshly loaded days."""
        basis = {
            queue: {on: fingerprint(day) for on, day in queue_days.items()}
            for queue, queue_days in days.items()
        }
        self._stored[region] = _Stored(days, basis)

    def followed(self, region: str, queues: Iterable[str]) -> None:
        """Add queues a full pass found followed (or with reminders waiting)."""
        self._followed.setdefault(region, set()).update(queues)

    def settle_others(self, region: str, named: Iterable[str], now: datetime) -> None:
        """Note the stored queues not ``named`` by a full pass as planned at ``now`` with no
        followers: their plans would change nothing until a newcomer's reminder comes due."""
        stored = self._stored.get(region)
        if stored is None:
            return
        for name in stored.days.keys() - set(named):
            queue = self._queues.setdefault((region, name), _Queue())
            queue.basis, queue.since = stored.basis.get(name, {}), now
            queue.leads, queue.planned_for = NEWCOMER_LEADS, None

    def plans(self, region: Region, queues: Sequence[str], now: datetime) -> list[QueueReminders]:
        """Each queue's plan at ``now`` from the kept days."""
        days = self._stored[region.id].days
        return [
            queue_reminders(
                region,
                queue,
                (days.get(queue) or {}).values(),
                now,
                self._window,
                self._planned(region, queue, now).planned,
            )
            for queue in queues
        ]

    def due(self, region: Region, now: datetime, span: timedelta) -> list[str]:
        """The queues that need planning at ``now``: their days changed since, or their
        agenda says so; ``span``: how near a reminder's time counts as due."""
        stored = self._stored[region.id]
        names = self._followed.get(region.id, set()) | stored.days.keys()
        due = []
        for name in sorted(names):
            queue = self._planned(region, name, now)
            if queue.basis != stored.basis.get(name, {}) or queue.agenda.needs_look(
                queue.since, now, span
            ):
                due.append(name)
        return due

    def planned(
        self,
        region: Region,
        plans: Sequence[QueueReminders],
        wanted: Mapping[tuple[str, str], frozenset[Lead]],
        stale: Iterable[tuple[str, str]],
    ) -> None:
        """Remember the plans the store applied (not the ``stale`` ones), with the lead times
        ``wanted`` by each queue's followers when the store reported them."""
        refused = set(stale)
        for plan in plans:
            key = (plan.region, plan.queue)
            if key in refused:
                continue
            queue = self._planned(region, plan.queue, plan.now)
            queue.basis, queue.since = plan.basis, plan.now
            known = wanted.get(key)
            queue.leads = None if known is None else known | NEWCOMER_LEADS
            queue.agenda = agenda(queue.planned, queue.leads, self._window)

    def _planned(self, region: Region, name: str, now: datetime) -> _Queue:
        """The queue's entry, its day's reminders brought up to the kept days and ``now``."""
        queue = self._queues.setdefault((region.id, name), _Queue())
        stored = self._stored[region.id]
        zone = ZoneInfo(region.tz)
        key = ((now - GRACE).astimezone(zone).date(), stored.basis.get(name, {}))
        if queue.planned_for != key:
            days = list((stored.days.get(name) or {}).values())
            queue.planned = plan_day(days, zone, now, self._window)
            queue.planned_for = key
            queue.agenda = agenda(queue.planned, queue.leads, self._window)
        return queue
