"""Telegram HTML messages: a queue's schedule and a schedule change (the outage timer and
reminders are in :mod:`esvitlo.domain.render_timer`, importable from here too).

Every value that is not our own literal is escaped with :func:`html.escape`; our markup uses
``<b>`` and ``<i>`` only and never spans two lines, so :func:`fit` can cut at any line.
Nothing here reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.changes import ChangeKind, DayChange, span_edits
from esvitlo.domain.message_text import CAPTION_LIMIT, TEXT_LIMIT, clock_text, fit, text_length
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
from esvitlo.domain.render_timer import interval_text, render_reminder, render_timer
from esvitlo.domain.texts import Texts, format_date, format_duration, queue_title

__all__ = [
    "CAPTION_LIMIT",
    "TEXT_LIMIT",
    "change_heading",
    "clock_text",
    "fit",
    "format_date",
    "format_duration",
    "interval_text",
    "new_outages",
    "queue_title",
    "render_change",
    "render_reminder",
    "render_schedule",
    "render_timer",
    "text_length",
]


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
    marked: Collection[Span] = (),
) -> list[str]:
    """Outages with durations and the total, or the emergency / no-outage line.

    ``joins`` says whether the first outage continues the previous day's and whether the
    last one goes on past midnight; outages in ``marked`` get the "new" mark.
    """
    if day.state is DayState.EMERGENCY:
        return [texts.emergency]
    continued, continues = joins
    lines = [
        _span_text(texts.outage_line, day.date, s, zone, texts)
        + (texts.new_mark if s in marked else "")
        for s in day.outages
    ]
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


def _listed(items: Sequence[str], texts: Texts) -> str:
    """``a``, ``a і b``, ``a, b і c``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + texts.list_and + items[-1]


def _intervals(day: date, spans: Sequence[Span], zone: ZoneInfo, texts: Texts) -> str:
    return _listed(
        [_span_text("{interval} ({duration})", day, s, zone, texts) for s in spans], texts
    )


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


def _edit_lines(old: DaySchedule, new: DaySchedule, zone: ZoneInfo, texts: Texts) -> list[str]:
    """Each changed outage told once: the ones added or cancelled outright, then one "was,
    now" line per group of old and new outages overlapping each other."""
    edits = span_edits(old.outages, new.outages)
    added = [span for edit in edits if not edit.old for span in edit.new]
    cancelled = [span for edit in edits if not edit.new for span in edit.old]
    lines = [
        template.format(intervals=_intervals(new.date, spans, zone, texts))
        for template, spans in ((texts.coverage_added, added), (texts.coverage_removed, cancelled))
        if spans
    ]
    lines += [
        texts.shifted_line.format(
            old=_listed([s.label() for s in edit.old], texts),
            new=_listed([s.label() for s in edit.new], texts),
        )
        for edit in edits
        if edit.old and edit.new
    ]
    return lines


def new_outages(change: DayChange) -> frozenset[Span]:
    """The new day's outages a change added or moved (marked 🆕); none for a day told in
    full (it appeared, or is restated)."""
    if change.old is None or not change.old.published:
        return frozenset()
    edits = span_edits(change.old.outages, change.new.outages)
    return frozenset(span for edit in edits for span in edit.new)


def _change_lines(
    change: DayChange, zone: ZoneInfo, texts: Texts, *, brief: bool = False
) -> list[str]:
    """Heading, what changed, and the day's new schedule with new or moved outages marked;
    ``brief``: the outage list left out (a picture shows it), only its total kept."""
    lines = [change_heading(texts, change)]
    if change.old is None or not change.old.published:
        body = _published_lines(change.new, zone, texts)
        return lines + (body[-1:] if brief else body)
    lines += _edit_lines(change.old, change.new, zone, texts)
    body = _published_lines(change.new, zone, texts, marked=new_outages(change))
    return lines + (body[-1:] if brief else [texts.new_schedule, *body])


def render_change(
    texts: Texts,
    changes: DayChange | Sequence[DayChange],
    *,
    queue: str,
    region: str,
    zone: ZoneInfo,
    name: str | None = None,
    limit: int = TEXT_LIMIT,
    pictured: bool = False,
) -> str:
    """One message for the changes of one queue: what happened to which day and the new day.

    ``pictured``: a picture of the days goes with the text, so a text over ``limit`` first
    leaves out the days' outage lists (keeping what changed and the totals) before cutting.
    """
    items = sorted((changes,) if isinstance(changes, DayChange) else changes, key=lambda c: c.date)
    title = queue_title(texts, queue, name)
    heading = texts.change_title.format(region=escape(region), queue=escape(title))

    def lines(brief: bool) -> list[str]:
        body = [line for c in items for line in ["", *_change_lines(c, zone, texts, brief=brief)]]
        return [heading, *body]

    full = lines(brief=False)
    if pictured and text_length("\n".join(full)) > limit:
        return fit(lines(brief=True), texts, limit)
    return fit(full, texts, limit)
