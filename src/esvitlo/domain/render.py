"""Telegram HTML messages: a queue's schedule. A schedule change is told by
:mod:`esvitlo.domain.render_change`, the outage timer and reminders by
:mod:`esvitlo.domain.render_timer` (all importable from here); the lines of one day both
messages share are in :mod:`esvitlo.domain.render_day`.

Every value that is not our own literal is escaped with :func:`html.escape`; our markup uses
``<b>`` and ``<i>`` only and never spans two lines, so :func:`fit` can cut at any line.
Nothing here reads the clock: ``now`` is a parameter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.freshness import StaleReason
from esvitlo.domain.message_text import CAPTION_LIMIT, TEXT_LIMIT, clock_text, fit, text_length
from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    local_date,
)
from esvitlo.domain.render_change import change_heading, new_outages, render_change
from esvitlo.domain.render_day import (
    day_heading,
    possible_lines,
    published_lines,
    unreadable_lines,
    when_text,
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
    lines = [day_heading(texts.day_heading, on, texts, label)]
    pending = texts.pending_today if is_today else texts.pending_tomorrow
    if day is None:
        lines.append(pending if fresh and not is_today else texts.missing_day)
    elif day.state is DayState.PENDING:
        lines.append(pending)
        heading = texts.possible_pending_heading
        lines += possible_lines(heading, day.date, day.possible, zone, texts)
        lines += unreadable_lines(day, texts)
    else:
        lines += published_lines(day, zone, texts, fresh=fresh, joins=joins)
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
    status: DataStatus,
    reason: StaleReason | None,
    zone: ZoneInfo,
    texts: Texts,
    *,
    updated_at: datetime | None,
    stale_since: datetime | None,
) -> list[str]:
    """The banner: source error, or stale naming its reason (the operator's own update time
    is old, or our last successful fetch is) with the time it goes by."""
    if status is DataStatus.SOURCE_ERROR:
        return [texts.source_error]
    if status is not DataStatus.STALE:
        return []
    if reason is StaleReason.OPERATOR and updated_at is not None:
        return [texts.stale_operator.format(when=when_text(updated_at, zone, texts))]
    if stale_since is None:
        return [texts.stale]
    return [texts.stale_since.format(when=when_text(stale_since, zone, texts))]


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
    stale_reason: StaleReason | None = None,
    limit: int = TEXT_LIMIT,
) -> str:
    """Today's and tomorrow's schedule of one queue with the data's age and trust.

    ``updated_at`` is the upstream's own update time; ``stale_since`` the last successful
    refresh; ``stale_reason`` (see ``freshness.judge``) picks which of them the stale banner
    names. "Data is up to date" is never said beside a day we have no data for.
    """
    title = queue_title(texts, queue, schedule.name if schedule else None)
    lines = [texts.schedule_title.format(region=escape(region), queue=escape(title))]
    lines += _status_lines(
        status, stale_reason, zone, texts, updated_at=updated_at, stale_since=stale_since
    )
    fresh = status is DataStatus.FRESH
    today = local_date(now, zone)
    if schedule is None or not schedule.days:
        lines += ["", texts.missing_queue]
    else:
        lines += _two_days(schedule, today, zone, texts, fresh=fresh)
    footer = (
        [texts.updated_at.format(when=when_text(updated_at, zone, texts))] if updated_at else []
    )
    if fresh and schedule is not None and schedule.day(today) is not None:
        footer.append(texts.fresh)
    return fit(lines, texts, limit, ["", *footer] if footer else [])
