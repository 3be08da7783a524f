"""Today's and tomorrow's schedule as an inline SVG chart for the status page.

One 24-hour bar per day: power on in green, outages in red, the weekly template's possible
outages in amber while a day is unpublished, grey where nothing is known, an emergency day
striped; hour marks every three hours and a line at "now" on today's bar. Every text put
into the SVG is escaped. The SVG scales with its container (``viewBox``), so it is as
readable at 360 px as on a desktop. ``now`` is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.model import MINUTES_PER_DAY, DaySchedule, DayState, Span

WIDTH = 360  # one unit a CSS pixel on a 360 px phone: the texts' sizes hold there
BAR_X = 6
BAR_WIDTH = WIDTH - 2 * BAR_X
BAR_HEIGHT = 28
ROW_HEIGHT = 74
COLOURS = {
    "power": "#43a047",
    "outage": "#d32f2f",
    "possible": "#f9a825",
    "unknown": "#bdbdbd",
    "emergency": "#ff6f00",
}


@dataclass(frozen=True, slots=True)
class ChartDay:
    """One bar: its heading and the day's schedule (None: nothing known)."""

    heading: str
    date: date
    schedule: DaySchedule | None


def _x(minute: int) -> float:
    return round(BAR_X + minute * BAR_WIDTH / MINUTES_PER_DAY, 2)


def _rect(span: Span, y: int, kind: str, title: str, *, whole_day: bool = False) -> str:
    """One coloured part of a bar; its tooltip names the colour and, for a part, the hours."""
    tip = title if whole_day else f"{title} {span.label()}"
    width = round(_x(span.end) - _x(span.start), 2)
    return (
        f'<rect x="{_x(span.start)}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
        f'fill="{COLOURS[kind]}" class="{kind}">'
        f"<title>{escape(tip)}</title></rect>"
    )


def _bar(day: ChartDay, y: int, titles: dict[str, str]) -> list[str]:
    whole = Span(0, MINUTES_PER_DAY)
    schedule = day.schedule
    if schedule is None:
        return [_rect(whole, y, "unknown", titles["unknown"], whole_day=True)]
    if schedule.state is DayState.PENDING:
        parts = [_rect(whole, y, "unknown", titles["unknown"], whole_day=True)]
        return parts + [_rect(s, y, "possible", titles["possible"]) for s in schedule.possible]
    base = "emergency" if schedule.state is DayState.EMERGENCY else "power"
    parts = [_rect(whole, y, base, titles[base], whole_day=True)]
    if base == "emergency":
        parts.append(
            f'<rect x="{BAR_X}" y="{y}" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
            'fill="url(#stripes)"/>'
        )
    return parts + [_rect(s, y, "outage", titles["outage"]) for s in schedule.outages]


def _hour_marks(y: int) -> list[str]:
    marks = []
    for hour in range(0, 25, 3):
        x = _x(hour * 60)
        anchor = "start" if hour == 0 else "end" if hour == 24 else "middle"
        marks.append(
            f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + BAR_HEIGHT + 3}" stroke="#fff" '
            'stroke-width="1"/>'
            f'<text x="{x}" y="{y + BAR_HEIGHT + 15}" text-anchor="{anchor}" '
            f'font-size="12">{hour:02d}</text>'
        )
    return marks


def _now_mark(now: datetime, zone: ZoneInfo, y: int) -> str:
    local = now.astimezone(zone)
    x = _x(local.hour * 60 + local.minute)
    return (
        f'<line x1="{x}" y1="{y - 6}" x2="{x}" y2="{y + BAR_HEIGHT + 6}" stroke="#111" '
        'stroke-width="3" class="now"/>'
    )


def schedule_svg(
    days: Sequence[ChartDay],
    *,
    now: datetime,
    zone: ZoneInfo,
    label: str,
    titles: dict[str, str],
) -> str:
    """The SVG text; ``titles`` names each colour (power, outage, possible, unknown,
    emergency) for the tooltips, ``label`` is the chart's accessible name."""
    height = ROW_HEIGHT * len(days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(label)}" '
        'font-family="sans-serif" class="chart">',
        f"<title>{escape(label)}</title>",
        '<defs><pattern id="stripes" width="12" height="12" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="12" fill="#0002"/></pattern></defs>',
    ]
    today = now.astimezone(zone).date()
    for index, day in enumerate(days):
        top = index * ROW_HEIGHT
        bar_y = top + 22
        parts.append(
            f'<text x="{BAR_X}" y="{top + 15}" font-size="14" font-weight="bold">'
            f"{escape(day.heading)}</text>"
        )
        parts += _bar(day, bar_y, titles)
        parts += _hour_marks(bar_y)
        if day.date == today:
            parts.append(_now_mark(now, zone, bar_y))
    parts.append("</svg>")
    return "".join(parts)
