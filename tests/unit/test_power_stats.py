"""Outage statistics and plan against fact (domain.power_stats), as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.power_stats import power_stats, schedule_days

KYIV = ZoneInfo("Europe/Kyiv")


def k(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Kyiv wall-clock moment of 2025 as an aware UTC instant."""
    return datetime(2025, month, day, hour, minute, tzinfo=KYIV).astimezone(UTC)


def out(start: datetime, end: datetime | None, exact: bool = True) -> PowerOutage:
    return PowerOutage(start, end, exact)


WEEK = (k(13, 0), k(20, 0))
LONG_AGO = k(1, 0)
WEEK_MINUTES = 7 * 1440


@pytest.mark.parametrize(
    ("case", "outages", "window", "created", "expected"),
    [
        (
            "two outages",
            [out(k(14, 8), k(14, 10)), out(k(15, 12), k(15, 13))],
            WEEK,
            LONG_AGO,
            (2, 180, 120, False, 1 - 180 / WEEK_MINUTES),
        ),
        (
            "an open outage runs to the window's end",
            [out(k(19, 22), None)],
            WEEK,
            LONG_AGO,
            (1, 120, 120, True, 1 - 120 / WEEK_MINUTES),
        ),
        (
            "an outage across midnight is one outage",
            [out(k(16, 23), k(17, 1))],
            WEEK,
            LONG_AGO,
            (1, 120, 120, False, 1 - 120 / WEEK_MINUTES),
        ),
        (
            "an outage starting before the window counts its part inside",
            [out(k(12, 23), k(13, 1))],
            WEEK,
            LONG_AGO,
            (1, 60, 60, False, 1 - 60 / WEEK_MINUTES),
        ),
        (
            "an outage ending before the window does not count",
            [out(k(12, 20), k(12, 23))],
            WEEK,
            LONG_AGO,
            (0, 0, 0, False, 1.0),
        ),
        (
            "only the watched part counts for the share",
            [out(k(19, 10), k(19, 16))],
            WEEK,
            k(19, 0),
            (1, 360, 360, False, 1 - 360 / 1440),
        ),
        (
            "an outage before the monitor existed is not its business",
            [out(k(18, 10), k(18, 16))],
            WEEK,
            k(19, 0),
            (0, 0, 0, False, 1.0),
        ),
        (
            "a DST day has 25 hours: 02:00-05:00 is four hours",
            [out(k(26, 2, month=10), k(26, 5, month=10))],
            (k(26, 0, month=10), k(27, 0, month=10)),
            LONG_AGO - timedelta(days=60),
            (1, 240, 240, False, 1 - 240 / 1500),
        ),
    ],
)
def test_counts_and_shares(case, outages, window, created, expected):
    stats = power_stats(outages, since=window[0], until=window[1], created_at=created)
    count, total, longest, ongoing, share = expected
    assert stats.count == count, case
    assert stats.total == timedelta(minutes=total), case
    assert stats.longest == timedelta(minutes=longest), case
    assert stats.ongoing is ongoing, case
    assert stats.power_share == pytest.approx(share), case
    if count:
        assert stats.average == timedelta(minutes=total) / count
    else:
        assert stats.average is None
    assert stats.plan.known is False  # no schedule given


def test_a_monitor_created_after_the_window_watched_nothing():
    stats = power_stats([], since=WEEK[0], until=WEEK[1], created_at=k(21, 0))
    assert stats.watched_since is None and stats.watched == timedelta(0)
    assert stats.power_share is None and stats.count == 0


def published(day: int, *spans: tuple[int, int], month: int = 11) -> DaySchedule:
    wall = tuple(Span(a * 60, b * 60) for a, b in spans)
    return DaySchedule(date(2025, month, day), DayState.PUBLISHED, wall)


DAY = (k(14, 0), k(15, 0))


@pytest.mark.parametrize(
    ("case", "outages", "days", "window", "expected"),
    [
        (
            "later than planned at both ends",
            [out(k(14, 8, 10), k(14, 10, 20))],
            [published(14, (8, 10), (14, 16))],
            DAY,
            ([(10, 20)], 0, 1),
        ),
        (
            "earlier than planned",
            [out(k(14, 7, 45), k(14, 9, 50))],
            [published(14, (8, 10))],
            DAY,
            ([(-15, -10)], 0, 0),
        ),
        (
            "an outage not in the schedule, a planned one with power kept",
            [out(k(14, 12), k(14, 13))],
            [published(14, (8, 10))],
            DAY,
            ([], 1, 1),
        ),
        (
            "across midnight against two planned days merged into one outage",
            [out(k(14, 23, 10), k(15, 1, 5))],
            [published(14, (23, 24)), published(15, (0, 1))],
            (k(14, 0), k(16, 0)),
            ([(10, 5)], 0, 0),
        ),
        (
            "an open outage has no end offset",
            [out(k(14, 8, 5), None)],
            [published(14, (8, 10))],
            (k(14, 0), k(14, 9)),
            ([(5, None)], 0, 0),
        ),
        (
            "a start the monitor did not see has no start offset",
            [out(k(14, 8), k(14, 10, 30), exact=False)],
            [published(14, (8, 10))],
            DAY,
            ([(None, 30)], 0, 0),
        ),
        (
            "one real outage over two planned ones: start to the first, end to the last",
            [out(k(14, 8), k(14, 13))],
            [published(14, (8, 10), (11, 13))],
            DAY,
            ([(0, 0)], 0, 0),
        ),
        (
            "a planned outage still ahead is not yet kept",
            [],
            [published(14, (8, 10), (20, 22))],
            (k(14, 0), k(14, 19)),
            ([], 0, 1),
        ),
        (
            "an outage on a day without a schedule is not called unplanned",
            [out(k(15, 12), k(15, 13))],
            [published(14, (8, 10))],
            (k(14, 0), k(16, 0)),
            ([], 0, 1),
        ),
        (
            "a DST day: planned 02:00-05:00 wall clock, real at the same instants",
            [out(k(26, 2, month=10), k(26, 5, month=10))],
            [published(26, (2, 5), month=10)],
            (k(26, 0, month=10), k(27, 0, month=10)),
            ([(0, 0)], 0, 0),
        ),
    ],
)
def test_plan_against_fact(case, outages, days, window, expected):
    stats = power_stats(
        outages, since=window[0], until=window[1], created_at=LONG_AGO - timedelta(days=60),
        days=days, zone=KYIV,
    )  # fmt: skip
    offsets, unplanned, kept = expected
    plan = stats.plan
    assert plan.known, case
    assert [(m.start_offset, m.end_offset) for m in plan.matched] == offsets, case
    assert (plan.unplanned, plan.kept) == (unplanned, kept), case


def test_without_a_published_day_there_is_no_plan():
    pending = DaySchedule(date(2025, 11, 14), DayState.PENDING, (), (Span(480, 600),))
    stats = power_stats(
        [out(k(14, 8), k(14, 10))], since=DAY[0], until=DAY[1], created_at=LONG_AGO,
        days=[pending], zone=KYIV,
    )  # fmt: skip
    assert stats.plan.known is False and stats.plan.matched == ()


def test_averages_of_the_offsets():
    stats = power_stats(
        [out(k(14, 8, 10), k(14, 10, 20)), out(k(14, 14, 0), k(14, 15, 40))],
        since=DAY[0], until=DAY[1], created_at=LONG_AGO,
        days=[published(14, (8, 10), (14, 16))], zone=KYIV,
    )  # fmt: skip
    assert stats.plan.average_start_offset == pytest.approx(5)
    assert stats.plan.average_end_offset == pytest.approx(0)


def test_schedule_days_picks_published_days_of_the_window_with_a_day_before():
    stored = {date(2025, 11, d): published(d, (8, 10)) for d in (10, 12, 13, 14, 20, 21)}
    stored[date(2025, 11, 15)] = DaySchedule(date(2025, 11, 15), DayState.PENDING)
    picked = schedule_days(stored, k(13, 12), k(20, 12), KYIV)
    assert [d.date.day for d in picked] == [12, 13, 14, 20]
