"""When a queue's waiting reminders next need the store, so a planning run reads only those.

Between two moments a queue's reminders can need a change only if, with its days the same,
one of the reminders its followers want enters the planning window, outlives its allowed
lateness, or comes due. At that last look the store reads the queue's followers once more,
so one who came, left or changed lead times since the reminder was queued gets it or loses
it before it goes out. Planning the queue at any other minute would change nothing, so the
planner skips it; the cost of a minute follows the reminders due around it, not the users.

The instants are computed once per queue and local day (``plan_day``), and looked up with a
binary search each run.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import LEAD_TIMES
from esvitlo.domain.model import DaySchedule, wall_instant
from esvitlo.domain.reminder_alerts import GRACE, Lead, lateness_allowed
from esvitlo.domain.reminders import Reminder, plan_reminders


def plan_day(
    days: Sequence[DaySchedule], zone: ZoneInfo, now: datetime, window: timedelta
) -> tuple[Reminder, ...]:
    """Every reminder (all lead times, both edges) that may stand at some moment of the
    local day of ``now - GRACE``: what ``standing_among`` picks from all that day."""
    day = (now - GRACE).astimezone(zone).date()
    midnight = wall_instant(day, 0, zone)
    return tuple(
        plan_reminders(
            days,
            zone,
            midnight,
            before_off=LEAD_TIMES,
            before_on=LEAD_TIMES,
            horizon=timedelta(days=1) + 2 * GRACE + window,
        )
    )


@dataclass(frozen=True, slots=True)
class Agenda:
    """A queue's wanted reminders as instants: when each is due (``fires``), and when one
    enters the window or expires (``changes``); both sorted."""

    fires: tuple[datetime, ...] = ()
    changes: tuple[datetime, ...] = ()

    def needs_look(self, since: datetime | None, now: datetime, span: timedelta) -> bool:
        """Whether the queue needs planning at ``now``, last planned at ``since`` (None:
        never): a change came after ``since``, or a reminder is due within ``span`` of
        ``now`` or came due since (a look missed when runs were late is not skipped)."""
        if since is None or since > now:
            return True
        changed = bisect_right(self.changes, since)
        if changed < len(self.changes) and self.changes[changed] <= now:
            return True
        due = bisect_right(self.fires, min(since, now - span))
        return due < len(self.fires) and self.fires[due] <= now + span


def agenda(
    planned: Iterable[Reminder], leads: Collection[Lead] | None, window: timedelta
) -> Agenda:
    """The agenda of the reminders of ``planned`` with a lead time in ``leads`` (None: all)."""
    wanted = [r for r in planned if leads is None or (r.edge, r.lead) in leads]
    fires = sorted(reminder.fire_at for reminder in wanted)
    changes = sorted(
        instant
        for reminder in wanted
        for instant in (
            reminder.fire_at - window,
            reminder.fire_at + lateness_allowed(reminder),
        )
    )
    return Agenda(tuple(fires), tuple(changes))
