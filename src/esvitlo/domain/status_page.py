"""What the public status page of one queue says, as plain text: today's and tomorrow's
outages with durations, where power stands now, the next change with the time left, the
emergency state and how fresh the data is.

Plain text, not HTML: the page's template escapes every value. The Telegram messages say
the same in ``render.py``; the day's facts come from the same model and the same duration
rules (``real_minutes``, so DST days count elapsed time). ``now`` is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.freshness import Freshness
from esvitlo.domain.message_text import clock_text
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
from esvitlo.domain.texts import Texts, WebTexts, format_date, format_duration, queue_title
from esvitlo.domain.timeline import build_timeline


@dataclass(frozen=True, slots=True)
class OutageRow:
    """One outage (or possible outage) of a day: ``08:00–12:00 (4 h)`` and a note."""

    text: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DayPanel:
    """One day as the page lists it; ``note`` is said when there is no outage list."""

    date: date
    heading: str
    state: str  # published, pending, emergency or missing
    note: str
    outages: tuple[OutageRow, ...] = ()
    possible_heading: str = ""
    possible: tuple[OutageRow, ...] = ()
    total: str = ""


@dataclass(frozen=True, slots=True)
class NextChange:
    """The next switch by the schedule: its wording, instant and the time left."""

    text: str
    at: datetime
    wait: str
    seconds: int


@dataclass(frozen=True, slots=True)
class QueuePage:
    """Everything the page of one (region, queue) shows, in one language."""

    title: str
    description: str
    now_line: str
    emergency: bool
    next_change: NextChange | None
    days: tuple[DayPanel, ...]
    status: DataStatus
    freshness: str
    updated: str
    checked: str


def _rows(
    day: date, spans: tuple[Span, ...], zone: ZoneInfo, texts: Texts, web: WebTexts
) -> list[OutageRow]:
    return [
        OutageRow(
            web.outage_row.format(
                interval=span.label(),
                duration=format_duration(real_minutes(day, (span,), zone), texts),
            )
        )
        for span in spans
    ]


def day_panel(
    day: DaySchedule | None,
    on: date,
    zone: ZoneInfo,
    texts: Texts,
    web: WebTexts,
    *,
    is_today: bool,
    continues: bool = False,
) -> DayPanel:
    """One day's panel; ``continues``: its last outage goes on past midnight."""
    label = texts.today if is_today else texts.tomorrow
    heading = f"{label}, {texts.weekdays[on.weekday()]}, {format_date(on, texts)}"
    if day is None:
        return DayPanel(on, heading, "missing", web.missing_day if is_today else web.pending_day)
    if day.state is DayState.PENDING:
        possible = tuple(_rows(on, day.possible, zone, texts, web))
        heading_text = web.possible_heading if possible else ""
        return DayPanel(on, heading, "pending", web.pending_day, (), heading_text, possible)
    rows = _rows(on, day.outages, zone, texts, web)
    if rows and continues:
        rows[-1] = OutageRow(rows[-1].text, web.continues_next_day)
    total = ""
    if rows:
        minutes = real_minutes(on, day.outages, zone)
        total = web.total.format(duration=format_duration(minutes, texts))
    if day.state is DayState.EMERGENCY:
        note = web.emergency_day_times if rows else web.emergency_day
        return DayPanel(on, heading, "emergency", note, tuple(rows), total=total)
    return DayPanel(
        on, heading, "published", "" if rows else web.no_outages, tuple(rows), total=total
    )


def _continues(first: DaySchedule | None, second: DaySchedule | None) -> bool:
    if not (first and second and first.outages and second.outages):
        return False
    published = first.state is second.state is DayState.PUBLISHED
    return published and first.outages[-1].end == MINUTES_PER_DAY and second.outages[0].start == 0


def _when(instant: datetime, zone: ZoneInfo, texts: Texts, today: date) -> str:
    """``14:00`` today, else ``7 грудня о 14:00``."""
    local = instant.astimezone(zone)
    if local.date() == today:
        return clock_text(local, zone)
    return texts.date_time.format(
        date=format_date(local.date(), texts), time=clock_text(local, zone)
    )


def _wait(now: datetime, then: datetime, texts: Texts) -> tuple[str, int]:
    seconds = max(0, int((then - now).total_seconds()))
    return format_duration(-(-seconds // 60), texts), seconds


def where_power_stands(
    schedule: QueueSchedule | None, zone: ZoneInfo, now: datetime, texts: Texts, web: WebTexts
) -> tuple[str, bool, NextChange | None]:
    """The "now" line, whether an emergency is in force, and the next change if known."""
    if schedule is None:
        return web.power_unknown_now, False, None
    timeline = build_timeline(schedule, zone, now)
    if timeline.emergency:
        return web.emergency_now, True, None
    if not timeline.known:
        return web.power_unknown_now, False, None
    today = local_date(now, zone)
    if timeline.current_outage is not None:
        at = timeline.current_outage.end
        line, template = web.power_off_now, web.next_restoration
    elif timeline.next_outage is not None:
        at = timeline.next_outage.start
        line, template = web.power_on_now, web.next_outage
    else:
        return web.power_on_now, False, None
    wait, seconds = _wait(now, at, texts)
    text = template.format(time=_when(at, zone, texts, today))
    return line, False, NextChange(text, at, web.countdown.format(wait=wait), seconds)


@dataclass(frozen=True, slots=True)
class PageFacts:
    """What the page is about: names, the queue's days and the data's age and trust."""

    region_name: str
    queue: str
    schedule: QueueSchedule | None
    zone: ZoneInfo
    freshness: Freshness
    updated_at: datetime | None = None
    checked_at: datetime | None = None


def queue_page(facts: PageFacts, now: datetime, texts: Texts, web: WebTexts) -> QueuePage:
    """The page of one queue as of ``now``."""
    zone, schedule = facts.zone, facts.schedule
    name = queue_title(texts, facts.queue, schedule.name if schedule else None)
    today = local_date(now, zone)
    tomorrow = today + timedelta(days=1)
    first = schedule.day(today) if schedule else None
    second = schedule.day(tomorrow) if schedule else None
    days: tuple[DayPanel, ...] = ()
    if schedule is not None and schedule.days:
        days = (
            day_panel(
                first, today, zone, texts, web, is_today=True, continues=_continues(first, second)
            ),
            day_panel(second, tomorrow, zone, texts, web, is_today=False),
        )
    now_line, emergency, change = where_power_stands(schedule, zone, now, texts, web)
    status = facts.freshness.status
    freshness = {
        DataStatus.FRESH: web.fresh,
        DataStatus.STALE: web.stale,
        DataStatus.SOURCE_ERROR: web.source_error,
    }[status]

    def stamp(template: str, when: datetime | None) -> str:
        return template.format(when=_when(when, zone, texts, today)) if when else ""

    return QueuePage(
        title=web.queue_page_title.format(region=facts.region_name, queue=name),
        description=web.og_description.format(region=facts.region_name, queue=name),
        now_line=now_line,
        emergency=emergency,
        next_change=change,
        days=days,
        status=status,
        freshness=freshness,
        updated=stamp(web.updated_at, facts.updated_at),
        checked=stamp(web.checked_at, facts.checked_at),
    )
