"""Calendar events from stored days, written as iCalendar and parsed back with ``icalendar``:
DST days in Kyiv, merged intervals across midnight, stable UIDs, SEQUENCE from revisions,
kinds told apart, the refresh hints and names in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from esvitlo.domain.calendar_feed import (
    ALL_KINDS,
    EventKind,
    MeasuredOutage,
    QueueLabels,
    StoredDay,
    calendar,
    measured_events,
    parse_kinds,
    queue_events,
)
from esvitlo.domain.calendar_links import feed_links, public_feed_path
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.texts.feeds import feed_texts_for
from esvitlo.web.ics import ics_bytes

KYIV = ZoneInfo("Europe/Kyiv")
WRITTEN = datetime(2026, 3, 28, 18, 0, tzinfo=UTC)


def stored(
    on: date,
    *spans: tuple[int, int],
    state: DayState = DayState.PUBLISHED,
    possible: tuple[tuple[int, int], ...] = (),
    revision: int = 1,
    written: datetime = WRITTEN,
) -> StoredDay:
    day = DaySchedule(
        on,
        state,
        tuple(Span(a, b) for a, b in spans),
        tuple(Span(a, b) for a, b in possible),
    )
    return StoredDay(day, revision, written)


def parsed(*days: StoredDay, kinds=ALL_KINDS, lang: str = "uk", name: str = "Світло") -> Calendar:
    texts = feed_texts_for(lang)
    labels = QueueLabels("Київ", texts.queue_title.format(queue="3.1"))
    events = queue_events("kyiv", "3.1", days, KYIV, kinds, texts, labels)
    return Calendar.from_ical(ics_bytes(calendar(name, "about", events)))


def times(cal: Calendar) -> list[tuple[datetime, datetime]]:
    return [(e.get("dtstart").dt, e.get("dtend").dt) for e in cal.walk("VEVENT")]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_spring_forward_day_in_kyiv_is_in_utc_with_the_lost_hour_gone():
    # 2026-03-29: 03:00 EET jumps to 04:00 EEST; 02:00–05:00 wall is two real hours
    cal = parsed(stored(date(2026, 3, 29), (120, 300), (1200, 1320)))
    assert times(cal) == [
        (utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0)),
        (utc(2026, 3, 29, 17, 0), utc(2026, 3, 29, 19, 0)),  # 20:00–22:00 EEST
    ]


def test_fall_back_day_in_kyiv_is_in_utc_with_the_repeated_hour_counted():
    # 2026-10-25: 04:00 EEST falls back to 03:00 EET; 02:00–06:00 wall is five real hours
    cal = parsed(stored(date(2026, 10, 25), (120, 360)))
    assert times(cal) == [(utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 4, 0))]
    event = next(iter(cal.walk("VEVENT")))
    assert "DTSTART:20261024T230000Z" in event.to_ical().decode()


def test_an_outage_across_midnight_is_one_event_whose_sequence_sums_both_days():
    late = datetime(2026, 3, 28, 20, 0, tzinfo=UTC)
    cal = parsed(
        stored(date(2026, 3, 27), (1260, 1440), revision=2),
        stored(date(2026, 3, 28), (0, 120), revision=3, written=late),
    )
    [event] = list(cal.walk("VEVENT"))
    assert (event.get("dtstart").dt, event.get("dtend").dt) == (
        utc(2026, 3, 27, 19, 0),
        utc(2026, 3, 28, 0, 0),
    )
    assert event.get("sequence") == 5
    assert event.get("dtstamp").dt == late and event.get("last-modified").dt == late


def test_uid_is_stable_and_sequence_grows_when_the_event_changes():
    before = parsed(stored(date(2026, 5, 4), (600, 720), revision=1))
    after = parsed(stored(date(2026, 5, 4), (600, 780), revision=2))
    again = parsed(stored(date(2026, 5, 4), (600, 780), revision=2))
    [old], [new] = before.walk("VEVENT"), after.walk("VEVENT")
    assert old.get("uid") == new.get("uid") == "planned-kyiv-3.1-20260504T070000Z@esvitlo"
    assert new.get("sequence") > old.get("sequence")
    assert ics_of(after) == ics_of(again)  # same data, same bytes: one ETag on every instance


def ics_of(cal: Calendar) -> bytes:
    return cal.to_ical()


def test_kinds_are_told_apart_and_can_be_chosen():
    days = (
        stored(date(2026, 5, 4), (600, 720)),
        stored(date(2026, 5, 5), state=DayState.PENDING, possible=((60, 180),)),
        stored(date(2026, 5, 6), state=DayState.EMERGENCY),
        stored(date(2026, 5, 7), (300, 360), state=DayState.EMERGENCY),
    )
    every = {str(e.get("uid")): e for e in parsed(*days).walk("VEVENT")}
    kinds = {uid: [str(c) for c in e.get("categories").cats] for uid, e in every.items()}
    assert kinds == {
        "planned-kyiv-3.1-20260504T070000Z@esvitlo": ["planned", "Планове"],
        "possible-kyiv-3.1-20260504T220000Z@esvitlo": ["possible", "Можливе"],
        "emergency-kyiv-3.1-20260506@esvitlo": ["emergency", "Екстрене"],
        "emergency-kyiv-3.1-20260507T020000Z@esvitlo": ["emergency", "Екстрене"],
    }
    whole_day = every["emergency-kyiv-3.1-20260506@esvitlo"]
    assert whole_day.get("dtstart").dt == date(2026, 5, 6)
    assert whole_day.get("dtend").dt == date(2026, 5, 7)
    assert every["possible-kyiv-3.1-20260504T220000Z@esvitlo"].get("status") == "TENTATIVE"
    assert all(e.get("transp") == "TRANSPARENT" for e in every.values())
    only = parsed(*days, kinds=frozenset({EventKind.EMERGENCY}))
    assert {str(e.get("uid")).split("-")[0] for e in only.walk("VEVENT")} == {"emergency"}


def test_possible_outages_of_a_published_day_are_not_events():
    day = stored(date(2026, 5, 4), (600, 720), possible=((0, 120),))
    assert [str(e.get("uid"))[:7] for e in parsed(day).walk("VEVENT")] == ["planned"]


def test_calendar_has_a_name_per_language_and_a_one_hour_refresh_hint():
    cal = parsed(stored(date(2026, 5, 4), (600, 720)), lang="en", name="Power: Kyiv")
    text = cal.to_ical().decode()
    assert cal.get("x-wr-calname") == "Power: Kyiv" and cal.get("name") == "Power: Kyiv"
    assert cal.get("refresh-interval").dt == timedelta(hours=1)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    assert "METHOD" not in text  # a published calendar: DTSTAMP is "last revised"
    [event] = cal.walk("VEVENT")
    assert event.get("summary") == "Outage · queue 3.1"


def test_measured_outages_are_past_events_of_their_own():
    outage = MeasuredOutage(7, "Дім", utc(2026, 5, 1, 8, 0), utc(2026, 5, 1, 9, 30))
    [event] = measured_events([outage], feed_texts_for("uk"))
    assert event.uid == "power-7-20260501T080000Z@esvitlo"
    assert event.summary == "Не було світла · Дім" and event.categories[0] == "measured"
    assert event.stamp == outage.end


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (None, ALL_KINDS),
        ("", ALL_KINDS),
        ("planned", frozenset({EventKind.PLANNED})),
        ("Planned, emergency", frozenset({EventKind.PLANNED, EventKind.EMERGENCY})),
        ("planned,bogus", None),
    ],
)
def test_kinds_from_the_url(text, kinds):
    assert parse_kinds(text) == kinds


def test_links_come_as_https_and_webcal():
    links = feed_links("https://svitlo.example/", public_feed_path("kyiv", "3.1"))
    assert links.https == "https://svitlo.example/calendar/kyiv/3.1.ics"
    assert links.webcal == "webcal://svitlo.example/calendar/kyiv/3.1.ics"
