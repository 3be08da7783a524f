"""Telegram HTML messages: a queue's schedule, a schedule change, the outage timer, reminders.

Every value that is not our own literal is escaped with :func:`html.escape`; our markup uses
``<b>`` and ``<i>`` only and never spans two lines, so :func:`fit` can cut at any line.
Nothing here reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.changes import ChangeKind, DayChange
from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    Span,
    local_date,
    real_minutes,
)
from esvitlo.domain.reminders import Edge, Reminder
from esvitlo.domain.texts import Texts, format_date, format_duration, queue_title
from esvitlo.domain.timeline import Outage, Timeline

__all__ = [
    "CAPTION_LIMIT",
    "TEXT_LIMIT",
    "change_heading",
    "fit",
    "format_date",
    "format_duration",
    "queue_title",
    "render_change",
    "render_reminder",
    "render_schedule",
    "render_timer",
    "text_length",
]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def text_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (tags included, to stay safe)."""
    return len(text.encode("utf-16-le")) // 2


def fit(lines: Sequence[str], texts: Texts, limit: int, footer: Sequence[str] = ()) -> str:
    """Join lines; when too long, drop whole lines from the end of the body, add an ellipsis
    line and keep the footer."""
    text = "\n".join([*lines, *footer])
    if text_length(text) <= limit:
        return text
    tail = [texts.truncated, *footer]
    budget = limit - text_length("\n".join(tail))
    if budget < 0:
        return fit([*lines, *footer], texts, limit) if footer else texts.truncated[:limit]
    kept: list[str] = []
    for line in lines:
        cost = text_length(line) + 1
        if cost > budget:
            break
        kept.append(line)
        budget -= cost
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join([*kept, *tail])


def clock_text(instant: datetime, zone: ZoneInfo, *, end: bool = False) -> str:
    """Local ``HH:MM``; an end at local midnight reads ``24:00``."""
    local = instant.astimezone(zone)
    if end and local.time() == time(0, 0):
        return "24:00"
    return local.strftime("%H:%M")


def _when(instant: datetime, zone: ZoneInfo, texts: Texts) -> str:
    local = instant.astimezone(zone)
    return texts.date_time.format(
        date=format_date(local.date(), texts), time=clock_text(local, zone)
    )


def _heading(template: str, day: date, texts: Texts, label: str = "") -> str:
    weekday = texts.weekdays[day.weekday()]
    return template.format(label=label, weekday=weekday, date=format_date(day, texts))


def _span_text(template: str, day: date, span: Span, zone: ZoneInfo, texts: Texts) -> str:
    minutes = real_minutes(day, (span,), zone)
    return template.format(interval=span.label(), duration=format_duration(minutes, texts))


def _possible_lines(
    heading: str, day: date, spans: Sequence[Span], zone: ZoneInfo, texts: Texts
) -> list[str]:
    if not spans:
        return []
    return [heading, *(_span_text(texts.possible_line, day, s, zone, texts) for s in spans)]


def _published_lines(
    day: DaySchedule,
    zone: ZoneInfo,
    texts: Texts,
    *,
    fresh: bool = True,
    joins: tuple[bool, bool] = (False, False),
) -> list[str]:
    """Outages with durations and the total, or the emergency / no-outage line.

    ``joins`` says whether the first outage continues the previous day's and whether the
    last one goes on past midnight.
    """
    if day.state is DayState.EMERGENCY:
        return [texts.emergency]
    continued, continues = joins
    lines = [_span_text(texts.outage_line, day.date, s, zone, texts) for s in day.outages]
    if lines and continued:
        lines[0] += texts.continued_from_previous_day
    if lines and continues:
        lines[-1] += texts.continues_next_day
    if lines:
        total = format_duration(real_minutes(day.date, day.outages, zone), texts)
        lines.append(texts.total_line.format(duration=total))
    else:
        lines.append(texts.no_outages if fresh else texts.no_outages_last_known)
    return lines  # the weekly template is shown only while a day is unpublished


def _joins_at_midnight(first: DaySchedule | None, second: DaySchedule | None) -> bool:
    """True when an outage of ``first`` runs to 24:00 and ``second`` goes on from 00:00."""
    if not (first and second and first.outages and second.outages):
        return False
    published = first.state is second.state is DayState.PUBLISHED
    return published and first.outages[-1].end == MINUTES_PER_DAY and second.outages[0].start == 0


def _day_lines(
    day: DaySchedule | None,
    on: date,
    zone: ZoneInfo,
    texts: Texts,
    *,
    is_today: bool,
    fresh: bool,
    joins: tuple[bool, bool] = (False, False),
) -> list[str]:
    """One day of the schedule message: heading and what is known about the day."""
    label = texts.today if is_today else texts.tomorrow
    lines = [_heading(texts.day_heading, on, texts, label)]
    pending = texts.pending_today if is_today else texts.pending_tomorrow
    if day is None:
        lines.append(pending if fresh and not is_today else texts.missing_day)
    elif day.state is DayState.PENDING:
        lines.append(pending)
        heading = texts.possible_pending_heading
        lines += _possible_lines(heading, day.date, day.possible, zone, texts)
    else:
        lines += _published_lines(day, zone, texts, fresh=fresh, joins=joins)
    return lines


def _two_days(
    schedule: QueueSchedule, today: date, zone: ZoneInfo, texts: Texts, *, fresh: bool
) -> list[str]:
    """Today's and tomorrow's blocks, noting an outage that runs on past midnight."""
    tomorrow = today + timedelta(days=1)
    first, second = schedule.day(today), schedule.day(tomorrow)
    join = _joins_at_midnight(first, second)
    return [
        "",
        *_day_lines(first, today, zone, texts, is_today=True, fresh=fresh, joins=(False, join)),
        "",
        *_day_lines(
            second, tomorrow, zone, texts, is_today=False, fresh=fresh, joins=(join, False)
        ),
    ]


def _status_lines(
    status: DataStatus, zone: ZoneInfo, texts: Texts, stale_since: datetime | None
) -> list[str]:
    if status is DataStatus.SOURCE_ERROR:
        return [texts.source_error]
    if status is DataStatus.STALE:
        if stale_since is None:
            return [texts.stale]
        return [texts.stale_since.format(when=_when(stale_since, zone, texts))]
    return []


def render_schedule(
    texts: Texts,
    schedule: QueueSchedule | None,
    *,
    queue: str,
    region: str,
    zone: ZoneInfo,
    now: datetime,
    status: DataStatus,
    updated_at: datetime | None = None,
    stale_since: datetime | None = None,
    limit: int = TEXT_LIMIT,
) -> str:
    """Today's and tomorrow's schedule of one queue with the data's age and trust.

    ``updated_at`` is the upstream's own update time; ``stale_since`` the last successful
    refresh, shown when the data is stale.
    """
    title = queue_title(texts, queue, schedule.name if schedule else None)
    lines = [texts.schedule_title.format(region=escape(region), queue=escape(title))]
    lines += _status_lines(status, zone, texts, stale_since)
    fresh = status is DataStatus.FRESH
    if schedule is None or not schedule.days:
        lines += ["", texts.missing_queue]
    else:
        lines += _two_days(schedule, local_date(now, zone), zone, texts, fresh=fresh)
    footer = [texts.updated_at.format(when=_when(updated_at, zone, texts))] if updated_at else []
    if fresh:
        footer.append(texts.fresh)
    return fit(lines, texts, limit, ["", *footer] if footer else [])


def _intervals(day: date, spans: Iterable[Span], zone: ZoneInfo, texts: Texts) -> str:
    return ", ".join(_span_text("{interval} ({duration})", day, s, zone, texts) for s in spans)


def _change_heading(kind: ChangeKind, was_published: bool, texts: Texts) -> str:
    if kind is ChangeKind.TOMORROW_APPEARED:
        return texts.tomorrow_appeared
    if kind is ChangeKind.TOMORROW_CHANGED:
        return texts.tomorrow_changed
    return texts.today_changed if was_published else texts.today_appeared


def change_heading(texts: Texts, change: DayChange) -> str:
    """One line naming what happened to which day (``Змінився графік на сьогодні, …``)."""
    was_published = change.old is not None and change.old.published
    return _heading(_change_heading(change.kind, was_published, texts), change.date, texts)


def _change_lines(change: DayChange, zone: ZoneInfo, texts: Texts) -> list[str]:
    """Heading, what was added and removed, and the day's new schedule."""
    was_published = change.old is not None and change.old.published
    lines = [change_heading(texts, change)]
    if was_published:
        added, removed = change.diff.coverage()
        for template, spans in ((texts.coverage_added, added), (texts.coverage_removed, removed)):
            if spans:
                lines.append(template.format(intervals=_intervals(change.date, spans, zone, texts)))
        lines += [
            texts.shifted_line.format(old=old.label(), new=new.label())
            for old, new in change.diff.shifted
        ]
        lines.append(texts.new_schedule)
    return lines + _published_lines(change.new, zone, texts)


def render_change(
    texts: Texts,
    changes: DayChange | Sequence[DayChange],
    *,
    queue: str,
    region: str,
    zone: ZoneInfo,
    name: str | None = None,
    limit: int = TEXT_LIMIT,
) -> str:
    """One message for the changes of one queue: what happened to which day and the new day."""
    items = (changes,) if isinstance(changes, DayChange) else tuple(changes)
    title = queue_title(texts, queue, name)
    lines = [texts.change_title.format(region=escape(region), queue=escape(title))]
    for change in sorted(items, key=lambda c: c.date):
        lines += ["", *_change_lines(change, zone, texts)]
    return fit(lines, texts, limit)


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
    limit: int = TEXT_LIMIT,
) -> str:
    """Power by schedule now, time to the next outage or to restoration, and later outages."""
    lines: list[str] = []
    if queue is not None and region is not None:
        title = queue_title(texts, queue, name)
        lines += [texts.timer_title.format(region=escape(region), queue=escape(title)), ""]
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
        line = texts.reminder_off.format(lead=lead, interval=interval, duration=duration)
    else:
        line = texts.reminder_on.format(lead=lead, time=clock_text(outage.end, zone))
    title = queue_title(texts, queue, name)
    footer = texts.reminder_footer.format(region=escape(region), queue=escape(title))
    return fit([line, footer], texts, TEXT_LIMIT)
