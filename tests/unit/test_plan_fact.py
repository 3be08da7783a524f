"""Plan versus fact per queue (domain.plan_fact): the crowd's outages from stored history
against the schedule, by local day, and how often outages began and ended on time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.crowd import CrowdRules
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.plan_fact import MonitorHistory, QueueHistory, crowd_fact, plan_fact

KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2026, 12, 1)
SINCE = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # Kyiv midnight of DAY
UNTIL = SINCE + timedelta(days=1)
EARLY = SINCE - timedelta(days=30)
RULES = CrowdRules()


def at(hour: int, minute: int = 0) -> datetime:
    """A UTC instant on DAY (Kyiv is UTC+2 in December)."""
    return datetime(2026, 12, 1, hour, minute, tzinfo=UTC)


def off(start: datetime, end: datetime | None, exact: bool = True) -> PowerOutage:
    return PowerOutage(start, end, exact)


def monitor(user: int, *outages: PowerOutage, created: datetime = EARLY) -> MonitorHistory:
    return MonitorHistory(user, created, outages)


OUTAGE = off(at(8, 5), at(12, 10))


@pytest.mark.parametrize(
    ("monitors", "measured_since", "off_spans"),
    [
        pytest.param([monitor(1, OUTAGE), monitor(2, OUTAGE)], None, [], id="two-users-never"),
        pytest.param(
            [monitor(1, OUTAGE), monitor(2, OUTAGE), monitor(3, OUTAGE), monitor(4)],
            SINCE,
            [(at(8, 5), at(12, 10))],
            id="three-of-four-off",
        ),
        pytest.param(
            [monitor(1, OUTAGE), monitor(1, OUTAGE), monitor(2), monitor(3)],
            SINCE,
            [],
            id="one-home-two-monitors-one-voice",
        ),
        pytest.param(
            [monitor(1, OUTAGE), monitor(2, OUTAGE), monitor(3), monitor(4), monitor(5)],
            SINCE,
            [],
            id="a-minority-off",
        ),
        pytest.param(
            [
                monitor(1, off(at(8), at(12))),
                monitor(2, off(at(8, 10), at(12))),
                monitor(3, off(at(8, 20), at(11, 50))),
            ],
            SINCE,
            [(at(8, 20), at(11, 50))],
            id="all-three-needed",
        ),
        pytest.param(
            [
                monitor(1, OUTAGE),
                monitor(2, OUTAGE),
                monitor(3, off(at(9), at(12, 10), exact=False), created=at(9)),
            ],
            at(9),
            [(at(9), at(12, 10))],
            id="measured-from-the-third-watcher",
        ),
        pytest.param(
            [
                monitor(1, off(at(20), None)),
                monitor(2, off(at(20), None)),
                monitor(3, off(at(20), None)),
            ],
            SINCE,
            [(at(20), UNTIL)],
            id="still-going-on",
        ),
    ],
)
def test_the_crowd_is_off_when_enough_users_watch_and_most_are_off(
    monitors, measured_since, off_spans
):
    assert crowd_fact(monitors, SINCE, UNTIL, RULES) == (measured_since, off_spans)


def history(*monitors: MonitorHistory) -> QueueHistory:
    return QueueHistory("kyiv", "3.1", monitors)


PLANNED = {DAY: DaySchedule(DAY, DayState.PUBLISHED, (Span(600, 840),))}  # 10:00–14:00 local


@pytest.mark.parametrize(
    ("outage", "fact_min", "starts", "ends", "unplanned", "kept"),
    [
        pytest.param(OUTAGE, 245, (1, 1), (1, 1), 0, 0, id="on-time"),
        pytest.param(off(at(7, 30), at(12)), 270, (1, 0), (1, 1), 0, 0, id="began-early"),
        pytest.param(off(at(8), at(13)), 300, (1, 1), (1, 0), 0, 0, id="ended-late"),
        pytest.param(off(at(15), at(16)), 60, (0, 0), (0, 0), 1, 1, id="unplanned-and-kept"),
    ],
)
def test_plan_versus_fact_of_a_day(outage, fact_min, starts, ends, unplanned, kept):
    queue = history(monitor(1, outage), monitor(2, outage), monitor(3, outage), monitor(4))
    result = plan_fact(queue, PLANNED, KYIV, SINCE, UNTIL, RULES)
    assert result is not None
    (day,) = result.days
    assert day.day == DAY and day.measured == timedelta(days=1)
    assert day.fact == timedelta(minutes=fact_min)
    assert day.planned == timedelta(hours=4)
    assert (result.starts_seen, result.starts_on_time) == starts
    assert (result.ends_seen, result.ends_on_time) == ends
    assert (result.unplanned, result.kept) == (unplanned, kept)


def test_a_week_splits_by_local_day_and_days_without_a_schedule_are_not_compared():
    since, until = SINCE, SINCE + timedelta(days=2)
    overnight = off(at(21), at(23))  # 23:00–01:00 local, across midnight
    queue = history(*(monitor(user, overnight) for user in (1, 2, 3)))
    result = plan_fact(queue, PLANNED, KYIV, since, until, RULES)
    assert result is not None
    assert [(d.day, d.fact, d.planned) for d in result.days] == [
        (DAY, timedelta(hours=1), timedelta(hours=4)),
        (date(2026, 12, 2), timedelta(hours=1), None),
    ]
    assert result.fact == timedelta(hours=2) and result.compared_fact == timedelta(hours=1)
    assert result.planned == timedelta(hours=4)


def test_the_scheduled_minutes_count_only_where_the_queue_was_measured():
    late = at(11)  # the third user arrives 13:00 local, an hour before the planned end
    queue = history(monitor(1), monitor(2), monitor(3, created=late))
    result = plan_fact(queue, PLANNED, KYIV, SINCE, UNTIL, RULES)
    assert result is not None
    (day,) = result.days
    assert day.measured == UNTIL - late and day.planned == timedelta(hours=1)
    assert day.fact == timedelta(0) and result.kept == 0  # its start was not watched


def test_a_queue_below_the_privacy_floor_has_no_plan_versus_fact():
    queue = history(monitor(1, OUTAGE), monitor(2, OUTAGE))
    assert plan_fact(queue, PLANNED, KYIV, SINCE, UNTIL, RULES) is None
