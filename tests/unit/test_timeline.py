"""Timeline at a moment: power by schedule, current / next outage, DST and midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.timeline import Outage, Timeline, build_timeline

from fixture_files import fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2025, 11, 20)
TOMORROW = TODAY + timedelta(days=1)


def minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    """A day from ``"HH:MM-HH:MM"`` spans."""
    parsed = tuple(Span(minute(a), minute(b)) for a, b in (s.split("-") for s in spans))
    return DaySchedule(on, state, parsed)


def at(on: date, clock: str, *, fold: int = 0) -> datetime:
    """An aware local instant of a wall-clock time."""
    hours, minutes = (int(p) for p in clock.split(":"))
    return datetime(on.year, on.month, on.day, hours, minutes, tzinfo=KYIV, fold=fold)


def label(outage: Outage | None) -> str | None:
    """``"20 22:00-21 02:00"``: local day of month and time of both ends."""
    if outage is None:
        return None
    start, end = outage.start.astimezone(KYIV), outage.end.astimezone(KYIV)
    return f"{start:%d %H:%M}-{end:%d %H:%M}"


DAYS = (
    day(TODAY, "08:00-10:00", "14:00-18:00", "22:00-24:00"),
    day(TOMORROW, "00:00-02:00", "06:00-08:00"),
)


@pytest.mark.parametrize(
    ("now", "power_on", "current", "upcoming", "left_today"),
    [
        (
            at(TODAY, "07:00"),
            True,
            None,
            "20 08:00-20 10:00",
            ["20 08:00-20 10:00", "20 14:00-20 18:00", "20 22:00-21 02:00"],
        ),
        (
            at(TODAY, "08:00"),  # start is inclusive
            False,
            "20 08:00-20 10:00",
            "20 14:00-20 18:00",
            ["20 14:00-20 18:00", "20 22:00-21 02:00"],
        ),
        (at(TODAY, "09:59"), False, "20 08:00-20 10:00", "20 14:00-20 18:00", None),
        (at(TODAY, "10:00"), True, None, "20 14:00-20 18:00", None),  # end is exclusive
        (at(TODAY, "18:30"), True, None, "20 22:00-21 02:00", ["20 22:00-21 02:00"]),
        (at(TODAY, "23:00"), False, "20 22:00-21 02:00", "21 06:00-21 08:00", []),
        (
            at(TOMORROW, "01:00"),  # started yesterday: the start comes from yesterday's day
            False,
            "20 22:00-21 02:00",
            "21 06:00-21 08:00",
            ["21 06:00-21 08:00"],
        ),
        (at(TOMORROW, "02:00"), True, None, "21 06:00-21 08:00", ["21 06:00-21 08:00"]),
        (at(TOMORROW, "09:00"), True, None, None, []),
    ],
)
def test_position_in_the_day(
    now: datetime,
    power_on: bool,
    current: str | None,
    upcoming: str | None,
    left_today: list[str] | None,
) -> None:
    timeline = build_timeline(DAYS, KYIV, now)
    assert timeline.known
    assert timeline.power_on is power_on
    assert label(timeline.current_outage) == current
    assert label(timeline.next_outage) == upcoming
    if timeline.current_outage is None:
        assert timeline.next_restoration is None
    else:
        assert timeline.next_restoration == timeline.current_outage.end
    if left_today is not None:
        assert [label(o) for o in timeline.outages_left_today] == left_today


def test_outage_across_midnight_restores_on_the_next_day() -> None:
    timeline = build_timeline(DAYS, KYIV, at(TODAY, "23:30"))
    assert timeline.next_restoration == at(TOMORROW, "02:00")
    assert timeline.current_outage is not None
    assert timeline.current_outage.minutes == 4 * 60


def test_accepts_a_queue_schedule() -> None:
    schedule = QueueSchedule("3.1", "Черга 3.1", DAYS)
    now = at(TODAY, "09:00")
    assert build_timeline(schedule, KYIV, now) == build_timeline(DAYS, KYIV, now)


@pytest.mark.parametrize(
    "tomorrow",
    [
        day(TOMORROW, "00:00-02:00", state=DayState.PENDING),
        day(TOMORROW, "00:00-02:00", state=DayState.EMERGENCY),
        None,
    ],
)
def test_unpublished_tomorrow_is_never_used(tomorrow: DaySchedule | None) -> None:
    days = [day(TODAY, "22:00-24:00"), *([tomorrow] if tomorrow else [])]
    timeline = build_timeline(days, KYIV, at(TODAY, "23:00"))
    assert label(timeline.current_outage) == "20 22:00-21 00:00"
    assert timeline.next_restoration == at(TOMORROW, "00:00")
    assert timeline.next_outage is None
    assert timeline.known_until == at(TOMORROW, "00:00")


@pytest.mark.parametrize(
    "days",
    [
        [],
        [day(TOMORROW, "08:00-10:00")],
        [day(TODAY, state=DayState.PENDING), day(TOMORROW, "08:00-10:00")],
        [day(TODAY - timedelta(days=1), "08:00-10:00")],
    ],
)
def test_unknown_without_a_published_today(days: list[DaySchedule]) -> None:
    timeline = build_timeline(days, KYIV, at(TODAY, "09:00"))
    assert timeline == Timeline(known=False)
    assert timeline.power_on is None


def test_emergency_today_claims_nothing() -> None:
    days = [day(TODAY, "08:00-10:00", state=DayState.EMERGENCY), day(TOMORROW, "06:00-08:00")]
    timeline = build_timeline(days, KYIV, at(TODAY, "09:00"))
    assert timeline.known and timeline.emergency
    assert timeline.power_on is None
    assert timeline.current_outage is None and timeline.next_outage is None


def test_published_day_without_outages_has_nothing_ahead() -> None:
    timeline = build_timeline([day(TODAY), day(TOMORROW)], KYIV, at(TODAY, "12:00"))
    assert timeline.power_on is True
    assert timeline.next_outage is None and timeline.outages_left_today == ()
    assert timeline.known_until == at(TOMORROW + timedelta(days=1), "00:00")


@pytest.mark.parametrize(
    ("on", "hours"),
    [
        (date(2026, 3, 29), 2),  # 23-hour day: 03:00 jumps to 04:00
        (date(2026, 10, 25), 4),  # 25-hour day: 04:00 falls back to 03:00
        (date(2026, 6, 15), 3),
    ],
)
def test_dst_days_use_elapsed_time(on: date, hours: int) -> None:
    days = [day(on, "02:00-05:00")]
    before = build_timeline(days, KYIV, at(on, "01:00"))
    assert before.next_outage is not None
    assert before.next_outage.minutes == hours * 60
    assert before.next_outage.duration == timedelta(hours=hours)
    during = build_timeline(days, KYIV, at(on, "04:30"))
    assert during.power_on is False
    assert during.next_restoration == at(on, "05:00")


def test_repeated_hour_is_inside_the_outage_both_times() -> None:
    on = date(2026, 10, 25)
    days = [day(on, "02:00-05:00")]
    for fold in (0, 1):
        timeline = build_timeline(days, KYIV, at(on, "03:30", fold=fold))
        assert timeline.power_on is False


def test_real_kyiv_schedule() -> None:
    path = fixtures_dir() / "outage-data-ua" / "kyiv" / "2025-11-20T1936_a1227.json"
    snapshot = parse_document(decode_json(path.read_bytes()), region="kyiv")
    queue = snapshot.queues["3.1"]
    morning = build_timeline(queue, KYIV, at(TODAY, "05:00"))
    assert label(morning.current_outage) == "20 03:00-20 10:30"
    assert label(morning.next_outage) == "20 13:30-20 21:00"
    evening = build_timeline(queue, KYIV, at(TODAY, "21:36"))
    assert evening.power_on is True
    assert label(evening.next_outage) == "21 00:00-21 04:00"
    assert evening.outages_left_today == ()
