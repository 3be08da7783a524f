"""Reminder tables: before off and on, across midnight, on DST days, never in the past."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.reminders import Edge, plan_reminders

KYIV = ZoneInfo("Europe/Kyiv")
D = date(2025, 11, 20)


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(
        on, state, tuple(Span(hm(s.split("-")[0]), hm(s.split("-")[1])) for s in spans)
    )


def local(on: date, clock: str) -> datetime:
    return datetime.combine(on, datetime.strptime(clock, "%H:%M").time(), KYIV).astimezone(UTC)


def fired(reminders) -> list[tuple[str, int, str]]:
    return [(r.edge.value, r.lead, f"{r.fire_at.astimezone(KYIV):%m-%d %H:%M}") for r in reminders]


@pytest.mark.parametrize(
    ("days", "now", "off", "on", "expected"),
    [
        # 15 min before 14:00 and 15 min before power returns at 18:00
        (
            (day(D, "14:00-18:00"),),
            "10:00",
            (15,),
            (15,),
            [("off", 15, "11-20 13:45"), ("on", 15, "11-20 17:45")],
        ),
        # only the future: at 13:50 the 15-min reminder before 14:00 has passed; 5 min has not
        ((day(D, "14:00-18:00"),), "13:50", (15, 5), (), [("off", 5, "11-20 13:55")]),
        # inside the outage: no "before off", only "before on"
        ((day(D, "14:00-18:00"),), "15:00", (15,), (30,), [("on", 30, "11-20 17:30")]),
        # across midnight: one outage 22:00-02:00, restoration reminder the next day
        (
            (day(D, "22:00-24:00"), day(D + timedelta(days=1), "00:00-02:00")),
            "20:00",
            (60,),
            (10,),
            [("off", 60, "11-20 21:00"), ("on", 10, "11-21 01:50")],
        ),
        # a reminder whose time falls before midnight for an outage just after it
        (
            (day(D), day(D + timedelta(days=1), "00:30-02:00")),
            "20:00",
            (60,),
            (),
            [("off", 60, "11-20 23:30")],
        ),
        # an outage to the end of the last published day has no known restoration
        (
            (day(D, "22:00-24:00"), day(D + timedelta(days=1), state=DayState.PENDING)),
            "20:00",
            (),
            (10,),
            [],
        ),
        # pending and emergency days give nothing
        ((day(D, "14:00-18:00", state=DayState.EMERGENCY),), "10:00", (15,), (15,), []),
        ((day(D, "14:00-18:00", state=DayState.PENDING),), "10:00", (15,), (15,), []),
    ],
)
def test_plan_reminders(days, now, off, on, expected):
    result = plan_reminders(days, KYIV, local(D, now), before_off=off, before_on=on)
    assert fired(result) == expected


@pytest.mark.parametrize(
    ("on", "outage", "lead", "expected_utc"),
    [
        # 23-hour day: 03:00-04:00 does not exist; an outage 02:00-05:00 ends at 05:00+03:00
        (date(2026, 3, 29), "02:00-05:00", 60, "2026-03-29 01:00"),
        # 25-hour day: 03:00 happens twice; an outage 02:00-05:00 ends at 05:00+02:00
        (date(2026, 10, 25), "02:00-05:00", 60, "2026-10-25 02:00"),
    ],
)
def test_restoration_reminders_on_dst_days_use_real_time(on, outage, lead, expected_utc):
    tomorrow = DaySchedule(on + timedelta(days=1), DayState.PUBLISHED)
    result = plan_reminders(
        (day(on, outage), tomorrow), KYIV, local(on, "00:30"), before_off=(), before_on=(lead,)
    )
    assert [f"{r.fire_at:%Y-%m-%d %H:%M}" for r in result] == [expected_utc]


def test_keys_identify_the_interval_so_a_moved_outage_gets_new_reminders():
    now = local(D, "08:00")
    before = plan_reminders((day(D, "14:00-18:00"),), KYIV, now, before_off=(15,), before_on=())
    same = plan_reminders((day(D, "14:00-18:00"),), KYIV, now, before_off=(15,), before_on=())
    moved = plan_reminders((day(D, "14:30-18:00"),), KYIV, now, before_off=(15,), before_on=())
    assert [r.key for r in before] == [r.key for r in same]
    assert {r.key for r in before}.isdisjoint(r.key for r in moved)
    assert before[0].edge is Edge.OFF and "20251120T1200Z-20251120T1600Z" in before[0].key


def test_yesterday_when_published_keeps_an_outage_across_midnight_whole():
    tomorrow = D + timedelta(days=1)
    before = plan_reminders(
        (day(D, "22:00-24:00"), day(tomorrow, "00:00-02:00")),
        KYIV,
        local(D, "23:00"),
        before_off=(),
        before_on=(10,),
    )
    after = plan_reminders(
        (day(D, "22:00-24:00"), day(tomorrow, "00:00-02:00")),
        KYIV,
        local(tomorrow, "00:30"),
        before_off=(),
        before_on=(10,),
    )
    assert [r.key for r in before] == [r.key for r in after]
    # once yesterday is gone (or was never published) the outage starts at midnight
    unpublished = day(D, "22:00-24:00", state=DayState.EMERGENCY)
    [alone] = plan_reminders(
        (unpublished, day(tomorrow, "00:00-02:00")),
        KYIV,
        local(tomorrow, "00:30"),
        before_off=(60,),
        before_on=(10,),
    )
    assert alone.edge is Edge.ON and alone.outage.start == local(tomorrow, "00:00")
