"""Schedule images: one queue's today and tomorrow as a PNG, drawn with Pillow and DejaVu Sans.

Bars are 24 wall-clock hours (the spans are wall-clock minutes), so a DST day looks like any
other; the totals at the right are real elapsed minutes, as in the text message. Fonts are
read once from the package data; the output is deterministic (same input, same bytes).
Optional marks (``adapters/chart_marks.py``): the half-hour "now" outlined on today's bar, and a
badge by the title when the data may be outdated.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from esvitlo.adapters.chart_fonts import COMPRESS_LEVEL, load_font, png_bytes
from esvitlo.adapters.chart_fonts import fitted_font as _fitted
from esvitlo.adapters.chart_marks import NOW, draw_badge, outline_now
from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    Span,
    real_minutes,
)
from esvitlo.domain.texts import Texts, format_date, format_duration

__all__ = [
    "HEIGHT",
    "HIGHLIGHT",
    "WIDTH",
    "ChartLabels",
    "ScheduleChart",
    "load_font",
    "render_schedule_png",
]

Colour = tuple[int, int, int]

WIDTH, HEIGHT = 1000, 420
MARGIN = 24
BAR_X = MARGIN
HOUR_PX = 32  # a half-hour is 16 px: every feed's cell lands on a whole pixel
BAR_END = BAR_X + 24 * HOUR_PX
BAR_HEIGHT = 60
ROW_TOP = (76, 226)  # day heading; the bar starts BAR_OFFSET below
BAR_OFFSET = 34
LEGEND_Y = 374

BACKGROUND: Colour = (255, 255, 255)
INK: Colour = (33, 37, 41)
MUTED: Colour = (108, 117, 125)
POWER: Colour = (67, 160, 71)
OUTAGE: Colour = (229, 57, 53)
PENDING: Colour = (206, 212, 218)
POSSIBLE: Colour = (239, 154, 154)  # stripes over PENDING
EMERGENCY: Colour = (183, 28, 28)
GRID: Colour = (255, 255, 255)
HIGHLIGHT: Colour = (255, 193, 7)  # the outline of outages a change added or moved
HIGHLIGHT_WIDTH = 5

Highlight = Mapping[date, Collection[Span]]
"""Per day, the outages to outline as new or moved (what a change alert marks 🆕)."""


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's plain-text labels, taken from :class:`Texts`."""

    pending: str  # on a grey bar: the day is not published yet
    missing: str  # on a grey bar: nothing is known about the day
    emergency: str  # on the bar of a day under emergency outages
    outage: str  # legend
    power: str  # legend
    possible: str  # legend: the weekly template on unpublished days
    total: str  # heading of the totals column

    @classmethod
    def from_texts(cls, texts: Texts) -> ChartLabels:
        """The labels of a language."""
        return cls(
            pending=texts.chart_pending,
            missing=texts.chart_missing,
            emergency=texts.chart_emergency,
            outage=texts.chart_outage,
            power=texts.chart_power,
            possible=texts.chart_possible,
            total=texts.chart_total,
        )


@cache
def _hatch(base: Colour, stripe: Colour) -> Image.Image:
    """A bar-sized tile of diagonal stripes; crops of it line up across spans."""
    tile = Image.new("RGB", (BAR_END - BAR_X, BAR_HEIGHT), base)
    draw = ImageDraw.Draw(tile)
    for x in range(-BAR_HEIGHT, tile.width + BAR_HEIGHT, 14):
        draw.line([(x, BAR_HEIGHT), (x + BAR_HEIGHT, 0)], fill=stripe, width=5)
    return tile


def _x(minute: int) -> int:
    return BAR_X + round(minute * HOUR_PX / 60)


def _fill(draw: ImageDraw.ImageDraw, top: int, span: Span, colour: Colour) -> None:
    draw.rectangle([_x(span.start), top, _x(span.end) - 1, top + BAR_HEIGHT - 1], fill=colour)


def _paste_hatch(image: Image.Image, top: int, span: Span, base: Colour, stripe: Colour) -> None:
    x0, x1 = _x(span.start), _x(span.end)
    image.paste(_hatch(base, stripe).crop((x0 - BAR_X, 0, x1 - BAR_X, BAR_HEIGHT)), (x0, top))


def _bar_note(draw: ImageDraw.ImageDraw, top: int, text: str, *, boxed: bool) -> None:
    """A short note in the middle of a bar, on a white box when the bar is striped."""
    font = _fitted(text, 20, BAR_END - BAR_X - 40)
    centre = ((BAR_X + BAR_END) // 2, top + BAR_HEIGHT // 2)
    if boxed:
        left, upper, right, lower = draw.textbbox(centre, text, font=font, anchor="mm")
        box = (left - 10, upper - 6, right + 10, lower + 6)
        draw.rounded_rectangle(box, radius=6, fill=BACKGROUND)
    draw.text(centre, text, font=font, fill=INK, anchor="mm")


def _grid(draw: ImageDraw.ImageDraw, top: int) -> None:
    """Hour separators on the bar, ticks under it and a label every three hours."""
    font = load_font(16)
    bottom = top + BAR_HEIGHT
    for hour in range(25):
        x = BAR_X + hour * HOUR_PX
        if 0 < hour < 24:
            draw.line([(x, top), (x, bottom - 1)], fill=GRID, width=1)
        draw.line([(x, bottom), (x, bottom + (8 if hour % 3 == 0 else 4))], fill=MUTED)
        if hour % 3 == 0:
            draw.text((x, bottom + 10), str(hour), font=font, fill=MUTED, anchor="mt")


def _draw_bar(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    top: int,
    day: DaySchedule | None,
    note_if_missing: str,
    labels: ChartLabels,
) -> None:
    """One day's bar: power and outages, or grey with possible outages and a note."""
    whole = Span(0, MINUTES_PER_DAY)
    if day is not None and day.state is DayState.PUBLISHED:
        _fill(draw, top, whole, POWER)
        for span in day.outages:
            _fill(draw, top, span, OUTAGE)
        for span in day.unreadable:  # hours the feed wrote in a way we could not read
            _fill(draw, top, span, PENDING)
    elif day is not None and day.state is DayState.EMERGENCY:
        _paste_hatch(image, top, whole, EMERGENCY, OUTAGE)
        for span in day.outages:  # hours the source names for its emergency cuts
            _fill(draw, top, span, OUTAGE)
    else:
        _fill(draw, top, whole, PENDING)
        for span in day.possible if day is not None else ():
            _paste_hatch(image, top, span, PENDING, POSSIBLE)
    _grid(draw, top)
    if day is None:
        _bar_note(draw, top, note_if_missing, boxed=False)
    elif day.state is DayState.PENDING:
        _bar_note(draw, top, labels.pending, boxed=bool(day.possible))
    elif day.state is DayState.EMERGENCY:
        _bar_note(draw, top, labels.emergency, boxed=True)


def _heading(on: date, label: str, texts: Texts) -> str:
    return f"{label}, {texts.weekdays[on.weekday()]}, {format_date(on, texts)}"


def _total(day: DaySchedule | None, zone: ZoneInfo, texts: Texts) -> str:
    """Real minutes without power on a published day; a dash otherwise."""
    if day is None or day.state is not DayState.PUBLISHED:
        return "—"
    return format_duration(real_minutes(day.date, day.outages, zone), texts)


def _draw_row(
    image: Image.Image,
    draw: ImageDraw.ImageDraw,
    index: int,
    day: DaySchedule | None,
    heading: str,
    total: str,
    labels: ChartLabels,
) -> None:
    """Heading, bar and total of one day; an unknown tomorrow reads as not published yet."""
    top = ROW_TOP[index]
    draw.text((BAR_X, top), heading, font=_fitted(heading, 22, BAR_END - BAR_X, True), fill=INK)
    bar_top = top + BAR_OFFSET
    _draw_bar(image, draw, bar_top, day, labels.pending if index else labels.missing, labels)
    font = _fitted(total, 22, WIDTH - MARGIN - BAR_END - 16, bold=True)
    colour = (
        OUTAGE if day is not None and day.state is DayState.PUBLISHED and day.outages else MUTED
    )
    anchor = (WIDTH - MARGIN, bar_top + BAR_HEIGHT // 2)
    draw.text(anchor, total, font=font, fill=colour, anchor="rm")


def legend_entries(
    days: tuple[DaySchedule | None, DaySchedule | None], labels: ChartLabels
) -> list[tuple[str, Colour | None]]:
    """The legend's entries for what the bars show (colour None: the striped possible)."""
    published = [d for d in days if d is not None and d.state is DayState.PUBLISHED]
    unpublished = [d for d in days if d is not None and d.state is DayState.PENDING]
    entries: list[tuple[str, Colour | None]] = []
    if published:
        entries.append((labels.power, POWER))
    if any(day.outages for day in published):
        entries.append((labels.outage, OUTAGE))
    if any(day.possible for day in unpublished):
        entries.append((labels.possible, None))
    return entries


def _legend(
    image: Image.Image, draw: ImageDraw.ImageDraw, entries: list[tuple[str, Colour | None]]
) -> None:
    """Coloured squares with their meaning along the bottom."""
    font = load_font(16)
    x = BAR_X
    for text, colour in entries:
        box = [x, LEGEND_Y, x + 19, LEGEND_Y + 19]
        if colour is None:
            image.paste(_hatch(PENDING, POSSIBLE).crop((0, 0, 20, 20)), (x, LEGEND_Y))
        else:
            draw.rectangle(box, fill=colour)
        draw.text((x + 28, LEGEND_Y + 10), text, font=font, fill=INK, anchor="lm")
        x += 28 + round(font.getlength(text)) + 32


def _outline_new(
    draw: ImageDraw.ImageDraw,
    days: tuple[DaySchedule | None, DaySchedule | None],
    highlight: Highlight,
) -> bool:
    """Outline the highlighted outages of published days; whether any was outlined."""
    outlined = False
    for index, day in enumerate(days):
        if day is None or day.state is not DayState.PUBLISHED:
            continue
        top = ROW_TOP[index] + BAR_OFFSET
        for span in highlight.get(day.date, ()):
            if span in day.outages:
                box = [_x(span.start), top, _x(span.end) - 1, top + BAR_HEIGHT - 1]
                draw.rectangle(box, outline=HIGHLIGHT, width=HIGHLIGHT_WIDTH)
                outlined = True
    return outlined


def render_schedule_png(
    days: tuple[DaySchedule | None, DaySchedule | None],
    *,
    today: date,
    zone: ZoneInfo,
    texts: Texts,
    region: str,
    queue: str,
    compress_level: int = COMPRESS_LEVEL,
    highlight: Highlight | None = None,
    now_slot: Span | None = None,
    status: DataStatus = DataStatus.FRESH,
) -> bytes:
    """A ``WIDTH`` x ``HEIGHT`` PNG of today's and tomorrow's bars with totals and a legend;
    ``highlight``: outages outlined as new or moved (with a legend entry); ``now_slot``: the
    part of today outlined as now; ``status`` other than fresh: a warning badge."""
    labels = ChartLabels.from_texts(texts)
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title = f"{region} · {queue}"
    room = WIDTH - 2 * MARGIN
    if status is not DataStatus.FRESH:
        warning = (
            texts.chart_source_error if status is DataStatus.SOURCE_ERROR else texts.chart_stale
        )
        room -= draw_badge(draw, warning, WIDTH - MARGIN, 16, 34) + 16
    draw.text((MARGIN, 18), title, font=_fitted(title, 30, room, True), fill=INK)
    corner = (WIDTH - MARGIN, ROW_TOP[0] + 4)
    draw.text(corner, labels.total, font=load_font(16), fill=MUTED, anchor="ra")
    for index, day in enumerate(days):
        label = texts.today if index == 0 else texts.tomorrow
        heading = _heading(today + timedelta(days=index), label, texts)
        _draw_row(image, draw, index, day, heading, _total(day, zone, texts), labels)
    entries = legend_entries(days, labels)
    if highlight and _outline_new(draw, days, highlight):
        entries.append((texts.chart_new, HIGHLIGHT))
    if now_slot is not None:
        outline_now(draw, _x(now_slot.start), _x(now_slot.end), ROW_TOP[0] + BAR_OFFSET, BAR_HEIGHT)
        entries.append((texts.chart_now, NOW))
    _legend(image, draw, entries)
    return png_bytes(image, compress_level)


@dataclass(frozen=True, slots=True)
class ScheduleChart:
    """Renders schedule images; the adapter behind a ``ChartRenderer`` port."""

    compress_level: int = COMPRESS_LEVEL

    def schedule_png(
        self,
        schedule: QueueSchedule | None,
        *,
        today: date,
        zone: ZoneInfo,
        texts: Texts,
        region: str,
        queue: str,
        highlight: Highlight | None = None,
        now_slot: Span | None = None,
        status: DataStatus = DataStatus.FRESH,
    ) -> bytes:
        """The PNG of a queue's today and tomorrow (days it does not know are drawn grey);
        ``highlight``: outages to outline as new or moved; ``now_slot``: today's part
        outlined as now; ``status``: a warning badge unless fresh."""
        tomorrow = today + timedelta(days=1)
        days = (schedule.day(today), schedule.day(tomorrow)) if schedule else (None, None)
        return render_schedule_png(
            days,
            today=today,
            zone=zone,
            texts=texts,
            region=region,
            queue=queue,
            compress_level=self.compress_level,
            highlight=highlight,
            now_slot=now_slot,
            status=status,
        )
