"""Schedule images: size, colours of outages / power / unknown days, Cyrillic, determinism."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageDraw, ImageFont

from esvitlo.adapters import chart, chart_marks
from esvitlo.adapters.chart import ScheduleChart, load_font, render_schedule_png
from esvitlo.cli.bench_chart import run_chart_bench
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.texts import texts_for

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2025, 11, 20)
TOMORROW = date(2025, 11, 21)
TODAY_8_TO_10 = DaySchedule(TODAY, DayState.PUBLISHED, (Span(480, 600),))


def _png(
    today: DaySchedule | None,
    tomorrow: DaySchedule | None,
    *,
    lang: str = "uk",
    region: str = "Київ",
    queue: str = "Черга 3.1",
) -> bytes:
    texts = texts_for(lang)
    days = (today, tomorrow)
    return render_schedule_png(
        days, today=TODAY, zone=KYIV, texts=texts, region=region, queue=queue
    )


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _bar_pixel(image: Image.Image, row: int, minute: int) -> tuple[int, int, int]:
    """The colour of a day's bar at a wall-clock minute, a little above the bar's middle."""
    x = chart.BAR_X + round(minute * chart.HOUR_PX / 60)
    y = chart.ROW_TOP[row] + chart.BAR_OFFSET + 6
    pixel = image.getpixel((x, y))
    assert isinstance(pixel, tuple)
    return (pixel[0], pixel[1], pixel[2])


def _bar_colours(image: Image.Image, row: int, start: int, end: int) -> set[tuple[int, int, int]]:
    """Every colour on a day's bar between two wall-clock minutes."""
    x0 = chart.BAR_X + round(start * chart.HOUR_PX / 60)
    x1 = chart.BAR_X + round(end * chart.HOUR_PX / 60)
    top = chart.ROW_TOP[row] + chart.BAR_OFFSET
    region = image.crop((x0, top, x1, top + chart.BAR_HEIGHT))
    return {(r, g, b) for _, (r, g, b) in region.getcolors(1 << 16) or []}


def test_png_decodes_with_the_chart_size():
    png = _png(TODAY_8_TO_10, None)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (chart.WIDTH, chart.HEIGHT) == (1000, 420)
    assert len(png) < 100_000


@pytest.mark.parametrize(
    ("minute", "colour"),
    [
        (8 * 60 + 15, chart.OUTAGE),
        (9 * 60 + 45, chart.OUTAGE),
        (7 * 60 + 45, chart.POWER),
        (10 * 60 + 15, chart.POWER),
        (14 * 60 + 30, chart.POWER),
        (30, chart.POWER),
    ],
)
def test_published_day_shows_outage_red_and_power_green(minute: int, colour: object):
    image = _image(_png(TODAY_8_TO_10, None))
    assert _bar_pixel(image, 0, minute) == colour


def test_outage_covers_exactly_its_span():
    image = _image(_png(TODAY_8_TO_10, None))
    outage = _bar_colours(image, 0, 8 * 60, 10 * 60) - {chart.GRID}
    assert outage == {chart.OUTAGE}
    before = _bar_colours(image, 0, 0, 8 * 60) - {chart.GRID}
    assert before == {chart.POWER}


def test_unknown_tomorrow_is_grey():
    image = _image(_png(TODAY_8_TO_10, None))
    for minute in (30, 3 * 60 + 30, 22 * 60 + 30):
        assert _bar_pixel(image, 1, minute) == chart.PENDING
    assert chart.OUTAGE not in _bar_colours(image, 1, 0, 1440)
    assert chart.POWER not in _bar_colours(image, 1, 0, 1440)


def test_pending_tomorrow_is_grey_with_possible_outages_striped():
    possible = (Span(0, 240), Span(1260, 1440))
    tomorrow = DaySchedule(TOMORROW, DayState.PENDING, (), possible)
    image = _image(_png(TODAY_8_TO_10, tomorrow))
    striped = _bar_colours(image, 1, 0, 240)
    assert {chart.PENDING, chart.POSSIBLE} <= striped
    assert chart.OUTAGE not in striped
    assert _bar_colours(image, 1, 5 * 60, 6 * 60) - {chart.GRID} == {chart.PENDING}


def test_published_tomorrow_ignores_the_weekly_template():
    tomorrow = DaySchedule(TOMORROW, DayState.PUBLISHED, (), (Span(0, 240),))
    image = _image(_png(TODAY_8_TO_10, tomorrow))
    assert _bar_colours(image, 1, 0, 1440) - {chart.GRID} == {chart.POWER}


def test_emergency_day_is_striped_dark_red():
    today = DaySchedule(TODAY, DayState.EMERGENCY)
    image = _image(_png(today, None))
    assert {chart.EMERGENCY, chart.OUTAGE} <= _bar_colours(image, 0, 0, 120)


def test_emergency_day_with_the_sources_hours_draws_them_solid():
    today = DaySchedule(TODAY, DayState.EMERGENCY, (Span(60, 180),))  # clear of the note
    image = _image(_png(today, None))
    assert _bar_colours(image, 0, 70, 170) - {chart.GRID} == {chart.OUTAGE}
    assert chart.EMERGENCY in _bar_colours(image, 0, 1300, 1430)


def test_unreadable_hours_are_grey_not_power():
    today = DaySchedule(TODAY, DayState.PUBLISHED, (), unreadable=(Span(60, 180),))
    image = _image(_png(today, None))
    assert _bar_colours(image, 0, 70, 170) - {chart.GRID} == {chart.PENDING}
    assert _bar_pixel(image, 0, 1300) == chart.POWER


def test_outage_running_to_midnight_fills_the_end_of_the_bar():
    today = DaySchedule(TODAY, DayState.PUBLISHED, (Span(1260, 1440),))
    image = _image(_png(today, None))
    assert _bar_pixel(image, 0, 1439) == chart.OUTAGE
    assert _bar_pixel(image, 0, 1259) == chart.POWER


def test_total_is_drawn_in_red_for_a_day_with_outages():
    image = _image(_png(TODAY_8_TO_10, None))
    top = chart.ROW_TOP[0] + chart.BAR_OFFSET
    column = image.crop((chart.BAR_END + 16, top, chart.WIDTH, top + chart.BAR_HEIGHT))
    colours = {c for _, c in column.getcolors(1 << 16) or []}
    assert chart.OUTAGE in colours


def test_schedule_chart_picks_today_and_tomorrow_from_the_queue():
    schedule = QueueSchedule("3.1", None, (TODAY_8_TO_10,))
    png = ScheduleChart().schedule_png(
        schedule,
        today=TODAY,
        zone=KYIV,
        texts=texts_for("uk"),
        region="Київ",
        queue="Черга 3.1",
    )
    assert png == _png(TODAY_8_TO_10, None)
    image = _image(png)
    assert _bar_pixel(image, 0, 9 * 60 + 15) == chart.OUTAGE
    assert _bar_pixel(image, 1, 30) == chart.PENDING


def test_schedule_chart_without_a_schedule_draws_two_grey_days():
    png = ScheduleChart().schedule_png(
        None,
        today=TODAY,
        zone=KYIV,
        texts=texts_for("en"),
        region="Kyiv",
        queue="Queue 3.1",
    )
    image = _image(png)
    assert _bar_pixel(image, 0, 30) == _bar_pixel(image, 1, 30) == chart.PENDING


def test_rendering_is_deterministic_and_depends_on_the_input():
    first = _png(TODAY_8_TO_10, None)
    assert _png(TODAY_8_TO_10, None) == first
    other = DaySchedule(TODAY, DayState.PUBLISHED, (Span(480, 630),))
    assert _png(other, None) != first
    assert _png(TODAY_8_TO_10, None, lang="en") != first


def test_a_long_title_is_shrunk_to_fit():
    image = _image(_png(TODAY_8_TO_10, None, region="Дніпропетровська область " * 4))
    right_edge = image.crop((chart.WIDTH - chart.MARGIN, 0, chart.WIDTH, 60))
    assert right_edge.getcolors() == [(chart.MARGIN * 60, chart.BACKGROUND)]


def _glyph(font: ImageFont.FreeTypeFont, text: str) -> Image.Image:
    image = Image.new("L", (40, 40))
    ImageDraw.Draw(image).text((4, 4), text, font=font, fill=255)
    return image


@pytest.mark.parametrize("bold", [False, True])
def test_bundled_font_has_ukrainian_glyphs(bold: bool):
    font = load_font(24, bold)
    tofu = _glyph(font, "\u0378").tobytes()  # an unassigned code point: the "missing" box
    for letter in "ЇїЄєІіҐґКиївʼ":
        glyph = _glyph(font, letter)
        assert glyph.getbbox() is not None, letter
        assert glyph.tobytes() != tofu, letter


def test_fonts_are_loaded_once_per_size():
    assert load_font(18) is load_font(18)
    assert load_font(18, True) is not load_font(18)


def test_chart_benchmark_prints_one_json_object(capsys: pytest.CaptureFixture[str]):
    assert run_chart_bench(argparse.Namespace(rounds=3, json=True)) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["benchmark"] == "chart"
    assert result["rounds"] == 3
    assert result["target_ms"] == 10
    assert result["png_bytes"] > 1000
    assert result["median_ms"] > 0
    assert result["marked_median_ms"] > 0
    # the seed's 12 queues in two languages, then at most one upload per half-hour of 07-23
    assert result["uploads_plain"] == 24
    assert 24 < result["uploads_marked"] <= 24 * 33


def _legend_has_colour(image: Image.Image, colour: tuple[int, int, int]) -> bool:
    strip = image.crop((0, chart.LEGEND_Y, chart.WIDTH, chart.LEGEND_Y + 20))
    return colour in {c for _, c in strip.getcolors(1 << 16) or []}


@pytest.mark.parametrize(
    ("today", "tomorrow", "shown", "hidden"),
    [
        (TODAY_8_TO_10, None, {chart.POWER, chart.OUTAGE}, {chart.POSSIBLE}),
        (
            DaySchedule(TODAY, DayState.PUBLISHED),
            None,
            {chart.POWER},
            {chart.OUTAGE, chart.POSSIBLE},
        ),
        (
            None,
            DaySchedule(TOMORROW, DayState.PENDING, (), (Span(0, 240),)),
            {chart.POSSIBLE},
            {chart.POWER, chart.OUTAGE},
        ),
        (None, None, set(), {chart.POWER, chart.OUTAGE, chart.POSSIBLE}),
    ],
)
def test_the_legend_shows_only_what_the_bars_show(today, tomorrow, shown, hidden):
    image = _image(_png(today, tomorrow))
    for colour in shown:
        assert _legend_has_colour(image, colour), colour
    for colour in hidden:
        assert not _legend_has_colour(image, colour), colour


NOON_SLOT = Span(720, 750)  # 12:00-12:30


def _marks_png(*, now_slot: Span | None = None, status: DataStatus = DataStatus.FRESH) -> bytes:
    return render_schedule_png(
        (TODAY_8_TO_10, None),
        today=TODAY,
        zone=KYIV,
        texts=texts_for("uk"),
        region="Київ",
        queue="Черга 3.1",
        now_slot=now_slot,
        status=status,
    )


def _colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[tuple[int, int, int]]:
    return {c for _, c in image.crop(box).getcolors(1 << 16) or []}


def test_the_now_half_hour_is_outlined_on_todays_bar_only():
    image = _image(_marks_png(now_slot=NOON_SLOT))
    top = chart.ROW_TOP[0] + chart.BAR_OFFSET
    left, right = chart._x(NOON_SLOT.start), chart._x(NOON_SLOT.end)
    middle = top + chart.BAR_HEIGHT // 2
    assert image.getpixel((left + 1, middle)) == chart_marks.NOW  # the outline's left side
    assert image.getpixel((right - 2, middle)) == chart_marks.NOW  # and its right side
    assert image.getpixel(((left + right) // 2, middle)) == chart.POWER  # the cell shows through
    assert image.getpixel(((left + right) // 2, top - 3)) == chart_marks.NOW  # above the bar
    assert chart_marks.NOW not in _bar_colours(image, 0, 0, 11 * 60 + 30)
    assert chart_marks.NOW not in _bar_colours(image, 0, 13 * 60, 1440)
    assert chart_marks.NOW not in _bar_colours(image, 1, 0, 1440)
    assert _legend_has_colour(image, chart_marks.NOW)


def test_without_a_slot_there_is_no_now_mark():
    image = _image(_marks_png())
    assert chart_marks.NOW not in _bar_colours(image, 0, 0, 1440)
    assert not _legend_has_colour(image, chart_marks.NOW)
    assert _marks_png() == _png(TODAY_8_TO_10, None)  # the plain picture is unchanged


@pytest.mark.parametrize("status", [DataStatus.STALE, DataStatus.SOURCE_ERROR])
def test_outdated_data_gets_a_warning_badge_by_the_title(status: DataStatus):
    badge_area = (chart.WIDTH // 2, 0, chart.WIDTH, chart.ROW_TOP[0])
    fresh = _image(_marks_png())
    assert chart_marks.STALE not in _colours(fresh, badge_area)
    warned = _image(_marks_png(status=status))
    assert chart_marks.STALE in _colours(warned, badge_area)
    assert chart_marks.BADGE_TEXT in _colours(warned, badge_area)


def test_stale_and_source_error_badges_say_different_things():
    stale = _marks_png(status=DataStatus.STALE)
    assert stale != _marks_png(status=DataStatus.SOURCE_ERROR)
    assert stale != _marks_png()


def test_a_long_title_leaves_room_for_the_badge():
    png = render_schedule_png(
        (TODAY_8_TO_10, None),
        today=TODAY,
        zone=KYIV,
        texts=texts_for("uk"),
        region="Дніпропетровська область " * 4,
        queue="Черга 3.1",
        status=DataStatus.STALE,
    )
    image = _image(png)
    badge_left = chart.WIDTH - chart.MARGIN - 50
    title_band = (badge_left, 16, chart.WIDTH - chart.MARGIN, 50)
    assert chart.INK not in _colours(image, title_band)  # no title letters under the badge


def test_highlighted_outages_are_outlined_and_named_in_the_legend():
    today = DaySchedule(TODAY, DayState.PUBLISHED, (Span(480, 600), Span(900, 960)))
    texts = texts_for("uk")

    def png(highlight: dict[date, tuple[Span, ...]] | None) -> Image.Image:
        days = (today, None)
        return _image(
            render_schedule_png(
                days,
                today=TODAY,
                zone=KYIV,
                texts=texts,
                region="Київ",
                queue="Черга 3.1",
                highlight=highlight,
            )
        )

    plain, marked = png(None), png({TODAY: (Span(900, 960),), TOMORROW: (Span(0, 60),)})
    edge = chart.BAR_X + round(900 * chart.HOUR_PX / 60) + 10
    top = chart.ROW_TOP[0] + chart.BAR_OFFSET + 1
    assert plain.getpixel((edge, top)) == chart.OUTAGE
    assert marked.getpixel((edge, top)) == chart.HIGHLIGHT  # the new outage's outline
    assert _bar_pixel(marked, 0, 8 * 60 + 15) == chart.OUTAGE  # the others are not outlined
    assert _bar_pixel(marked, 0, 15 * 60 + 30) == chart.OUTAGE  # inside the outline: red
    legend = marked.crop((0, chart.LEGEND_Y, chart.WIDTH, chart.LEGEND_Y + 20))
    assert chart.HIGHLIGHT in {c for _, c in legend.getcolors(1 << 16) or []}
    assert png({}).tobytes() == plain.tobytes()  # off by default: the same picture
