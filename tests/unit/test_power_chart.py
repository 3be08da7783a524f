"""The weekly power chart: its data (domain.power_week) and its PNG (adapters.power_chart)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from esvitlo.adapters import power_chart
from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.power_week import wall_span, week_chart
from esvitlo.domain.texts import power_texts_for, texts_for

KYIV = ZoneInfo("Europe/Kyiv")


def k(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=KYIV).astimezone(UTC)


NOW = k(20, 14, 30)  # a Thursday
CREATED = k(15, 9)
OUTAGES = [
    PowerOutage(k(17, 8), k(17, 10)),
    PowerOutage(k(18, 23), k(19, 1)),  # across midnight
    PowerOutage(k(20, 13), None),  # going on now
]
SCHEDULE = {
    date(2025, 11, 17): DaySchedule(date(2025, 11, 17), DayState.PUBLISHED, (Span(420, 660),)),
    date(2025, 11, 20): DaySchedule(date(2025, 11, 20), DayState.PENDING, (), (Span(0, 240),)),
}


def _chart(lang: str = "uk", title: str = "Дім"):
    return week_chart(
        OUTAGES, SCHEDULE, now=NOW, created_at=CREATED, zone=KYIV, title=title,
        texts=texts_for(lang), power_texts=power_texts_for(lang),
    )  # fmt: skip


def test_seven_local_days_ending_today():
    chart = _chart()
    assert [d.day.day for d in chart.days] == [14, 15, 16, 17, 18, 19, 20]
    assert [d.is_today for d in chart.days] == [False] * 6 + [True]
    assert chart.days[-1].label == "Чт 20.11" and chart.days[0].label == "Пт 14.11"
    assert chart.days[-1].now_minute == 14 * 60 + 30


def test_rows_hold_real_planned_and_watched_spans():
    days = {d.day.day: d for d in _chart().days}
    assert days[14].watched is None and days[15].watched == Span(540, 1440)
    assert days[17].real == (Span(480, 600),) and days[17].planned == (Span(420, 660),)
    assert days[18].real == (Span(1380, 1440),) and days[19].real == (Span(0, 60),)
    assert days[20].real == (Span(780, 870),)  # the open outage runs to now
    assert days[20].planned == ()  # a pending day has no plan
    assert days[20].watched == Span(0, 870)


@pytest.mark.parametrize(
    ("start", "end", "day", "expected"),
    [
        (k(17, 8), k(17, 10), date(2025, 11, 17), Span(480, 600)),
        (k(17, 8), k(17, 10), date(2025, 11, 18), None),
        (k(16, 20), k(18, 2), date(2025, 11, 17), Span(0, 1440)),
        # DST ends on 26 October at 04:00: 03:30 is reached twice, the day has 25 hours
        (k(26, 2, month=10), k(26, 5, month=10), date(2025, 10, 26), Span(120, 300)),
        (k(25, 22, month=10), k(27, 0, month=10), date(2025, 10, 26), Span(0, 1440)),
    ],
)
def test_wall_span(start, end, day, expected):
    assert wall_span(start, end, day, KYIV) == expected


def _pixel(image: Image.Image, row: int, minute: int, dy: int) -> tuple[int, int, int]:
    x = power_chart.BAR_X + round(minute * power_chart.HOUR_PX / 60) + 2
    y = power_chart.FIRST_ROW + row * power_chart.ROW_HEIGHT + dy
    pixel = image.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def test_the_png_has_the_size_and_the_colours():
    png = PowerWeekChart().week_png(_chart())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (power_chart.WIDTH, power_chart.HEIGHT)
    rgb = image.convert("RGB")
    middle = power_chart.BAR_HEIGHT // 2
    edge = 2  # inside the bar, above a real outage's inset
    assert _pixel(rgb, 3, 9 * 60, middle) == power_chart.REAL  # 17 Nov 08-10
    assert _pixel(rgb, 3, 9 * 60, edge) == power_chart.PLANNED  # the band behind it
    assert _pixel(rgb, 3, 10 * 60 + 30, middle) == power_chart.PLANNED  # planned, power kept
    assert _pixel(rgb, 3, 13 * 60, middle) == power_chart.WATCHED
    assert _pixel(rgb, 0, 13 * 60, middle) == power_chart.UNWATCHED  # before the monitor
    assert _pixel(rgb, 6, 20 * 60, middle) == power_chart.UNWATCHED  # later today


def test_the_png_is_deterministic_and_differs_by_language():
    chart = PowerWeekChart()
    assert chart.week_png(_chart()) == chart.week_png(_chart())
    assert chart.week_png(_chart("en")) != chart.week_png(_chart())


def test_a_long_title_with_markup_characters_is_drawn_as_text():
    png = PowerWeekChart().week_png(_chart(title="<b>Дача</b> & " + "дуже довга назва " * 8))
    assert Image.open(io.BytesIO(png)).size == (power_chart.WIDTH, power_chart.HEIGHT)
