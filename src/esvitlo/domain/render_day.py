"""The lines of one day shared by the schedule message and the change alerts: headings,
outage lines with durations, possible and unreadable hours, the emergency line."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from esvitlo.domain.message_text import clock_text
from esvitlo.domain.model import MINUTES_PER_DAY, DaySchedule, DayState, Span, real_minutes
from esvitlo.domain.texts import Texts, format_date, format_duration


def when_text(instant: datetime, zone: ZoneInfo, texts: Texts) -> str:
    local = instant.astimezone(zone)
    return texts.date_time.format(
        date=format_date(local.date(), texts), time=clock_text(local, zone)
    )


def day_heading(template: str, day: date, texts: Texts, label: str = "") -> str:
    weekday = texts.weekdays[day.weekday()]
    return template.format(label=label, weekday=weekday, date=format_date(day, texts))


def span_text(template: str, day: date, span: Span, zone: ZoneInfo, texts: Texts) -> str:
    minutes = real_minutes(day, (span,), zone)
    return template.format(interval=span.label(), duration=format_duration(minutes, texts))


def possible_lines(
    heading: str, day: date, spans: Sequence[Span], zone: ZoneInfo, texts: Texts
) -> list[str]:
    """The possible outages under ``heading``; a whole day of them is one short line."""
    if not spans:
        return []
    if tuple(spans) == (Span(0, MINUTES_PER_DAY),):
        return [texts.possible_all_day]
    return [heading, *(span_text(texts.possible_line, day, s, zone, texts) for s in spans)]


def unreadable_lines(day: DaySchedule, texts: Texts) -> list[str]:
    """The parts of a day the feed wrote in a way we could not read, as one line."""
    if not day.unreadable:
        return []
    intervals = ", ".join(span.label() for span in day.unreadable)
    return [texts.unreadable_line.format(intervals=intervals)]


def published_lines(
    day: DaySchedule,
    zone: ZoneInfo,
    texts: Texts,
    *,
    fresh: bool = True,
    joins: tuple[bool, bool] = (False, False),
    marked: Collection[Span] = (),
) -> list[str]:
    """Outages with durations and the total, or the emergency / no-outage line. An emergency
    day with outage times (a source marking definite emergency cuts, such as Mykolaiv's
    ``SURE_OFF``) lists them under the emergency line; without, the schedule does not apply.

    ``joins`` says whether the first outage continues the previous day's and whether the
    last one goes on past midnight; outages in ``marked`` get the "new" mark.
    """
    emergency = day.state is DayState.EMERGENCY
    if emergency and not day.outages:
        return [texts.emergency]
    continued, continues = joins
    lines = [
        span_text(texts.outage_line, day.date, s, zone, texts)
        + (texts.new_mark if s in marked else "")
        for s in day.outages
    ]
    if lines and continued:
        lines[0] += texts.continued_from_previous_day
    if lines and continues:
        lines[-1] += texts.continues_next_day
    if emergency:
        lines.insert(0, texts.emergency_times)
    unreadable = unreadable_lines(day, texts)
    if lines:
        total = format_duration(real_minutes(day.date, day.outages, zone), texts)
        lines += [*unreadable, texts.total_line.format(duration=total)]
    elif unreadable:  # "no outages" would claim the hours we could not read
        lines += unreadable
    else:
        lines.append(texts.no_outages if fresh else texts.no_outages_last_known)
    return lines  # the weekly template is shown only while a day is unpublished
