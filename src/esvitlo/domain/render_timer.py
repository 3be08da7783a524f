"""Telegram HTML messages about time: the outage timer and the reminders before an outage
starts or ends.

Every value that is not our own literal is escaped with :func:`html.escape`. Nothing here
reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.message_text import TEXT_LIMIT, clock_text, fit
from esvitlo.domain.model import local_date
from esvitlo.domain.reminders import Edge, Reminder
from esvitlo.domain.texts import Texts, format_date, format_duration, queue_title
from esvitlo.domain.timeline import Outage, Timeline

__all__ = ["interval_text", "render_reminder", "render_timer"]


def _wait(now: datetime, then: datetime, texts: Texts) -> str:
    """Time from now to then, rounded up to the minute."""
    return format_duration(math.ceil((then - now).total_seconds() / 60), texts)


def interval_text(outage: Outage, zone: ZoneInfo, today: date, texts: Texts) -> str:
    """``14:00–18:00``, prefixed with the day when the outage starts after today."""
    text = f"{clock_text(outage.start, zone)}–{clock_text(outage.end, zone, end=True)}"
    start_day = local_date(outage.start, zone)
    if start_day == today + timedelta(days=1):
        return f"{texts.tomorrow.lower()} {text}"
    return text if start_day <= today else f"{format_date(start_day, texts)} {text}"


def _outage_text(
    template: str, outage: Outage, zone: ZoneInfo, today: date, texts: Texts, wait: str = ""
) -> str:
    interval = interval_text(outage, zone, today, texts)
    return template.format(
        interval=interval, duration=format_duration(outage.minutes, texts), wait=wait
    )


def _timer_lines(timeline: Timeline, zone: ZoneInfo, now: datetime, texts: Texts) -> list[str]:
    today = local_date(now, zone)
    current, upcoming = timeline.current_outage, timeline.next_outage
    if current is None:
        lines = [texts.now_on]
    else:
        lines = [
            texts.now_off.format(interval=interval_text(current, zone, today, texts)),
            texts.until_restoration.format(
                wait=_wait(now, current.end, texts), time=clock_text(current.end, zone, end=True)
            ),
        ]
    if upcoming is not None:
        wait = _wait(now, upcoming.start, texts)
        lines.append(_outage_text(texts.until_outage, upcoming, zone, today, texts, wait=wait))
    elif timeline.known_until is not None:
        last_day = local_date(timeline.known_until - timedelta(minutes=1), zone)
        lines.append(texts.nothing_ahead.format(date=format_date(last_day, texts)))
    others = [o for o in timeline.outages_left_today if o != upcoming]
    if others:
        lines.append(texts.later_today)
        lines += [_outage_text(texts.later_line, o, zone, today, texts) for o in others]
    return lines


def render_timer(
    texts: Texts,
    timeline: Timeline,
    *,
    zone: ZoneInfo,
    now: datetime,
    queue: str | None = None,
    region: str | None = None,
    name: str | None = None,
    label: str | None = None,
    limit: int = TEXT_LIMIT,
) -> str:
    """Power by schedule now, time to the next outage or to restoration, and later outages;
    headed by the address's label (the user's own name for it) when given."""
    lines: list[str] = []
    if queue is not None and region is not None:
        title = queue_title(texts, queue, name)
        lines.append(texts.timer_title.format(region=escape(region), queue=escape(title)))
        if label:
            lines[-1] = texts.timer_label.format(label=escape(label), title=lines[-1])
        lines.append("")
    if not timeline.known:
        lines.append(texts.timer_unknown)
    elif timeline.emergency:
        lines.append(texts.timer_emergency)
    else:
        lines += _timer_lines(timeline, zone, now, texts)
    return fit(lines, texts, limit)


def render_reminder(
    texts: Texts,
    reminder: Reminder,
    *,
    queue: str,
    region: str,
    zone: ZoneInfo,
    name: str | None = None,
) -> str:
    """What is coming in ``lead`` minutes (an outage, or power back), then whose queue it is."""
    lead = format_duration(reminder.lead, texts)
    outage = reminder.outage
    if reminder.edge is Edge.OFF:
        interval = f"{clock_text(outage.start, zone)}–{clock_text(outage.end, zone, end=True)}"
        duration = format_duration(outage.minutes, texts)
        template = texts.reminder_off_now if reminder.lead == 0 else texts.reminder_off
        line = template.format(lead=lead, interval=interval, duration=duration)
    else:
        template = texts.reminder_on_now if reminder.lead == 0 else texts.reminder_on
        line = template.format(lead=lead, time=clock_text(outage.end, zone))
    title = queue_title(texts, queue, name)
    footer = texts.reminder_footer.format(region=escape(region), queue=escape(title))
    return fit([line, footer], texts, TEXT_LIMIT)
