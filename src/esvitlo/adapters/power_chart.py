"""The weekly power chart: seven days as 24-hour bars, drawn with Pillow and DejaVu Sans.

Each bar is light green where the monitor watched, grey where it did not (before it existed,
or later today); planned outages are a light band across the bar and real outages a dark
bar over it, a little thinner, so a planned outage shows around the real one. Today's row is
framed and has a "now" line. Output is deterministic (same chart, same bytes).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from esvitlo.adapters.chart_fonts import COMPRESS_LEVEL, fitted_font, load_font, png_bytes
from esvitlo.domain.model import MINUTES_PER_DAY, Span
from esvitlo.domain.power_week import ChartDay, WeekChart

__all__ = ["HEIGHT", "WIDTH", "PowerWeekChart", "render_week_png"]

Colour = tuple[int, int, int]

WIDTH, HEIGHT = 1000, 540
MARGIN = 24
LABEL_WIDTH = 110
BAR_X = MARGIN + LABEL_WIDTH
HOUR_PX = 35
BAR_END = BAR_X + 24 * HOUR_PX
AXIS_Y = 74
FIRST_ROW = 100
ROW_HEIGHT = 56
BAR_HEIGHT = 38
REAL_INSET = 7  # a real outage is this much thinner at the top and the bottom
LEGEND_Y = FIRST_ROW + 7 * ROW_HEIGHT + 14

BACKGROUND: Colour = (255, 255, 255)
INK: Colour = (33, 37, 41)
MUTED: Colour = (108, 117, 125)
WATCHED: Colour = (200, 230, 201)
UNWATCHED: Colour = (233, 236, 239)
PLANNED: Colour = (255, 171, 145)
REAL: Colour = (55, 33, 33)
TODAY: Colour = (25, 118, 210)
GRID: Colour = (255, 255, 255)


def _x(minute: int) -> int:
    return BAR_X + round(minute * HOUR_PX / 60)


def _span(draw: ImageDraw.ImageDraw, top: int, span: Span, colour: Colour, inset: int = 0) -> None:
    box = [_x(span.start), top + inset, _x(span.end) - 1, top + BAR_HEIGHT - 1 - inset]
    draw.rectangle(box, fill=colour)


def _axis(draw: ImageDraw.ImageDraw) -> None:
    """Hour labels every three hours above the first bar."""
    font = load_font(15)
    for hour in range(0, 25, 3):
        draw.text((BAR_X + hour * HOUR_PX, AXIS_Y), str(hour), font=font, fill=MUTED, anchor="ms")


def _grid(draw: ImageDraw.ImageDraw, top: int) -> None:
    """Thin separators every three hours across a bar."""
    for hour in range(3, 24, 3):
        x = BAR_X + hour * HOUR_PX
        draw.line([(x, top), (x, top + BAR_HEIGHT - 1)], fill=GRID, width=1)


def _row(draw: ImageDraw.ImageDraw, index: int, day: ChartDay) -> None:
    """One day's label and bar."""
    top = FIRST_ROW + index * ROW_HEIGHT
    font = fitted_font(day.label, 18, LABEL_WIDTH - 10, bold=day.is_today)
    colour = TODAY if day.is_today else INK
    draw.text((MARGIN, top + BAR_HEIGHT // 2), day.label, font=font, fill=colour, anchor="lm")
    _span(draw, top, Span(0, MINUTES_PER_DAY), UNWATCHED)
    if day.watched is not None:
        _span(draw, top, day.watched, WATCHED)
    for span in day.planned:
        _span(draw, top, span, PLANNED)
    for span in day.real:
        _span(draw, top, span, REAL, REAL_INSET)
    _grid(draw, top)
    if day.is_today:
        frame = [BAR_X - 3, top - 3, BAR_END + 2, top + BAR_HEIGHT + 2]
        draw.rectangle(frame, outline=TODAY, width=2)
        if day.now_minute is not None:
            x = _x(day.now_minute)
            draw.line([(x, top - 6), (x, top + BAR_HEIGHT + 5)], fill=TODAY, width=3)


def _legend(draw: ImageDraw.ImageDraw, chart: WeekChart) -> None:
    """Coloured squares with their meaning along the bottom."""
    font = load_font(16)
    labels = chart.labels
    x = MARGIN
    items = (
        (labels.power, WATCHED),
        (labels.real, REAL),
        (labels.planned, PLANNED),
        (labels.unwatched, UNWATCHED),
    )
    for text, colour in items:
        draw.rectangle([x, LEGEND_Y, x + 19, LEGEND_Y + 19], fill=colour)
        draw.text((x + 28, LEGEND_Y + 10), text, font=font, fill=INK, anchor="lm")
        x += 28 + round(font.getlength(text)) + 32


def render_week_png(chart: WeekChart, *, compress_level: int = COMPRESS_LEVEL) -> bytes:
    """A ``WIDTH`` x ``HEIGHT`` PNG of the week, oldest day at the top."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    title = chart.labels.title
    font = fitted_font(title, 28, WIDTH - 2 * MARGIN, bold=True)
    draw.text((MARGIN, 16), title, font=font, fill=INK)
    _axis(draw)
    for index, day in enumerate(chart.days):
        _row(draw, index, day)
    _legend(draw, chart)
    return png_bytes(image, compress_level)


@dataclass(frozen=True, slots=True)
class PowerWeekChart:
    """Renders weekly power charts; the adapter behind a ``PowerChartRenderer`` port."""

    compress_level: int = COMPRESS_LEVEL

    def week_png(self, chart: WeekChart) -> bytes:
        """The PNG of the week the chart describes."""
        return render_week_png(chart, compress_level=self.compress_level)
