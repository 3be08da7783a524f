"""The public status page's model and its SVG chart: outages with durations, the next change
and the time left, emergency, freshness, and every text escaped in the SVG."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.freshness import Freshness
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.schedule_svg import ChartDay, schedule_svg
from esvitlo.domain.status_page import PageFacts, queue_page
from esvitlo.domain.texts import texts_for, web_texts_for

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 12, 6)
TOMORROW = TODAY + timedelta(days=1)
UK, EN = texts_for("uk"), texts_for("en")
WEB_UK, WEB_EN = web_texts_for("uk"), web_texts_for("en")


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV).astimezone(UTC)


def facts(*days: DaySchedule, status: DataStatus = DataStatus.FRESH) -> PageFacts:
    return PageFacts(
        region_name="Київ",
        queue="3.1",
        schedule=QueueSchedule("3.1", None, days),
        zone=KYIV,
        freshness=Freshness(status),
        updated_at=at(7, 5),
        checked_at=at(10, 0),
    )


def published(on: date, *spans: tuple[int, int]) -> DaySchedule:
    return DaySchedule(on, DayState.PUBLISHED, tuple(Span(a, b) for a, b in spans))


def test_outages_are_listed_with_durations_and_a_total():
    page = queue_page(facts(published(TODAY, (480, 720), (1080, 1230))), at(6), UK, WEB_UK)
    today = page.days[0]
    assert today.state == "published"
    assert [row.text for row in today.outages] == [
        "08:00–12:00 (4 год)",
        "18:00–20:30 (2 год 30 хв)",
    ]
    assert today.total == "Загалом без світла: 6 год 30 хв"
    assert today.heading == "Сьогодні, неділя, 6 грудня"
    assert page.days[1].state == "missing" and page.days[1].note == WEB_UK.pending_day


def test_power_on_now_names_the_next_outage_and_the_time_left():
    page = queue_page(facts(published(TODAY, (480, 720))), at(6, 30), EN, WEB_EN)
    assert page.now_line == WEB_EN.power_on_now
    assert page.next_change is not None
    assert page.next_change.text == "Next outage: 08:00"
    assert page.next_change.wait == "in 1 h 30 min"
    assert page.next_change.seconds == 5400
    assert page.next_change.at == at(8)


def test_power_off_now_names_the_restoration_across_midnight():
    days = (published(TODAY, (1320, 1440)), published(TOMORROW, (0, 120)))
    page = queue_page(facts(*days), at(23), UK, WEB_UK)
    assert page.now_line == WEB_UK.power_off_now
    assert page.next_change is not None and page.next_change.at == at(2, day=TOMORROW)
    assert page.next_change.text == "Світло повернеться: 7 грудня о 02:00"
    assert page.days[0].outages[-1].note == WEB_UK.continues_next_day


def test_an_emergency_day_says_so_and_claims_no_change():
    page = queue_page(facts(DaySchedule(TODAY, DayState.EMERGENCY)), at(12), UK, WEB_UK)
    assert page.emergency and page.now_line == WEB_UK.emergency_now
    assert page.next_change is None
    assert page.days[0].state == "emergency" and page.days[0].note == WEB_UK.emergency_day


def test_a_pending_day_shows_the_weekly_template_as_possible():
    pending = DaySchedule(TOMORROW, DayState.PENDING, possible=(Span(600, 780),))
    page = queue_page(facts(published(TODAY), pending), at(12), UK, WEB_UK)
    assert page.days[0].note == WEB_UK.no_outages
    tomorrow = page.days[1]
    assert tomorrow.state == "pending" and tomorrow.possible_heading == WEB_UK.possible_heading
    assert [row.text for row in tomorrow.possible] == ["10:00–13:00 (3 год)"]


def test_a_dst_day_counts_elapsed_time():
    autumn = date(2026, 10, 25)  # Kyiv goes back an hour at 04:00
    page = queue_page(facts(published(autumn, (0, 360))), at(0, 0, autumn), EN, WEB_EN)
    assert page.days[0].outages[0].text == "00:00–06:00 (7 h)"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (DataStatus.FRESH, WEB_UK.fresh),
        (DataStatus.STALE, WEB_UK.stale),
        (DataStatus.SOURCE_ERROR, WEB_UK.source_error),
    ],
)
def test_freshness_is_said_with_the_operators_and_our_times(status, expected):
    page = queue_page(facts(published(TODAY), status=status), at(12), UK, WEB_UK)
    assert page.freshness == expected
    assert page.updated == "Оператор оновив графік 07:05"
    assert page.checked == "Перевірено 10:00"


def test_no_known_day_means_unknown_now_and_no_panels():
    page = queue_page(facts(), at(12), UK, WEB_UK)
    assert page.days == () and page.now_line == WEB_UK.power_unknown_now


TITLES = {"power": "on", "outage": "off", "possible": "maybe", "unknown": "?", "emergency": "!"}


def test_the_svg_draws_outages_and_marks_now_on_today_only():
    days = [
        ChartDay("Today", TODAY, published(TODAY, (480, 720))),
        ChartDay("Tomorrow", TOMORROW, published(TOMORROW, (0, 60), (600, 660))),
    ]
    svg = schedule_svg(days, now=at(9), zone=KYIV, label="Chart", titles=TITLES)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'viewBox="0 0 360 148"' in svg
    assert svg.count('class="outage"') == 3
    assert svg.count('class="now"') == 1
    assert "<title>off 08:00–12:00</title>" in svg


def test_the_svg_escapes_every_text():
    days = [ChartDay('<script>"x"</script>', TODAY, None)]
    svg = schedule_svg(days, now=at(9), zone=KYIV, label="a&b<", titles=TITLES | {"unknown": "<i>"})
    assert "<script>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in svg
    assert 'aria-label="a&amp;b&lt;"' in svg


def test_the_svg_shows_possible_outages_of_a_pending_day_and_stripes_an_emergency():
    days = [
        ChartDay("a", TODAY, DaySchedule(TODAY, DayState.EMERGENCY)),
        ChartDay("b", TOMORROW, DaySchedule(TOMORROW, DayState.PENDING, possible=(Span(0, 90),))),
    ]
    svg = schedule_svg(days, now=at(9), zone=KYIV, label="c", titles=TITLES)
    assert svg.count('class="possible"') == 1 and 'fill="url(#stripes)"' in svg
    assert 'class="emergency"' in svg and 'class="unknown"' in svg
