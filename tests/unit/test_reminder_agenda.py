"""When a queue's reminders need the store (domain.reminder_agenda): a day's reminders planned
once give the same standing reminders as planning at each minute, and the agenda names the
minutes a queue must be planned."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.reminder_agenda import Agenda, agenda, plan_day
from esvitlo.domain.reminder_alerts import queue_reminders
from esvitlo.domain.reminders import Edge

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
ZONE = ZoneInfo("Europe/Kyiv")
D = date(2025, 11, 20)
WINDOW = timedelta(hours=3)
T0 = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


def day(on: date, *hours: tuple[int, int]) -> DaySchedule:
    return DaySchedule(on, DayState.PUBLISHED, tuple(Span(a * 60, b * 60) for a, b in hours))


DAYS = [day(D, (0, 2), (12, 14), (20, 24)), day(D + timedelta(days=1), (0, 3), (9, 11))]


def keys_at(now: datetime, planned: object = None) -> list[str]:
    plan = queue_reminders(KYIV, "3.1", DAYS, now, WINDOW, planned)  # type: ignore[arg-type]
    return [alert.reminder.key for alert in plan.standing]


def test_a_day_planned_once_stands_as_planning_every_minute_would():
    # every 7 minutes over two days, across midnight: the same reminders, in the same order
    planned: dict[date, object] = {}
    now = datetime(2025, 11, 19, 21, 0, tzinfo=UTC)
    while now < datetime(2025, 11, 21, 23, 0, tzinfo=UTC):
        local = (now - timedelta(minutes=30)).astimezone(ZONE).date()
        if local not in planned:
            planned[local] = plan_day(DAYS, ZONE, now, WINDOW)
        assert keys_at(now, planned[local]) == keys_at(now), now
        now += timedelta(minutes=7)


S = timedelta(seconds=60)
A = Agenda(
    fires=(T0 + timedelta(minutes=30),),
    changes=(T0 + timedelta(minutes=10), T0 + timedelta(minutes=45)),
)


@pytest.mark.parametrize(
    ("since", "now", "needed"),
    [
        (None, T0, True),  # never planned
        (T0, T0 + timedelta(minutes=5), False),  # nothing happened
        (T0, T0 + timedelta(minutes=10), True),  # a reminder entered the window
        (T0 + timedelta(minutes=10), T0 + timedelta(minutes=20), False),
        (T0 + timedelta(minutes=10), T0 + timedelta(minutes=29), True),  # the last look
        (T0 + timedelta(minutes=10), T0 + timedelta(minutes=35), True),  # late runs: still
        (T0 + timedelta(minutes=29), T0 + timedelta(minutes=30), True),  # ...at its time too
        (T0 + timedelta(minutes=30), T0 + timedelta(minutes=32), False),
        (T0 + timedelta(minutes=32), T0 + timedelta(minutes=46), True),  # it expired
        (T0 + timedelta(minutes=46), T0 + timedelta(hours=5), False),
        (T0 + timedelta(minutes=50), T0 + timedelta(minutes=40), True),  # the clock went back
    ],
)
def test_a_queue_needs_a_look_when_its_agenda_says(since, now, needed):
    assert A.needs_look(since, now, S) is needed


def test_the_agenda_holds_only_the_wanted_lead_times():
    planned = plan_day(DAYS, ZONE, T0, WINDOW)
    wanted = agenda(planned, frozenset({(Edge.OFF, 15)}), WINDOW)
    # off 15 before 12:00 and 20:00 (running on to 03:00); tomorrow's 09:00 is past the
    # day's reach (it belongs to tomorrow's plan)
    assert [f.astimezone(ZONE).strftime("%d %H:%M") for f in wanted.fires] == [
        "20 11:45",
        "20 19:45",
    ]
    assert len(wanted.changes) == 4
    everything = agenda(planned, None, WINDOW)
    assert len(everything.fires) > 3 * len(wanted.fires)
