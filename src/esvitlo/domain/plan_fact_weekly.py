"""The weekly plan-versus-fact post to channels that opt in: when it is due, and its text.

The post covers the last full ISO week (Monday 00:00 to Monday 00:00, local time) and is due
on Monday from ``POST_HOUR`` until the end of that Monday. The window closes the same day on
purpose: the outbox forgets sent rows after its retention, so a post due all week long could
be queued again by a restart days later; within the day the key per (channel, ISO week)
keeps it to one post. A channel opts in with an ``app_flags`` row named ``FLAG_PREFIX`` and
its chat id (no migration needed); a queue below the privacy floor is not in the report, so
it never gets a post.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.model import local_date, wall_instant
from esvitlo.domain.plan_fact import QueuePlanFact
from esvitlo.domain.texts import BotTexts, Texts, format_duration, queue_title

FLAG_PREFIX = "plan_fact_weekly:"
FLAG_ON = "1"
POST_HOUR = 9  # Monday, local time
WEEKLY_POST = "plan_fact_weekly"  # the outbox kind (a text to the channel)


def flag_name(chat_id: int) -> str:
    """The ``app_flags`` row that opts a channel in."""
    return f"{FLAG_PREFIX}{chat_id}"


def chat_of_flag(name: str) -> int | None:
    """The chat id an opt-in row names, None for any other row."""
    if not name.startswith(FLAG_PREFIX):
        return None
    try:
        return int(name.removeprefix(FLAG_PREFIX))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DueWeek:
    """The finished ISO week a post is due for: ``[since, until)``, local midnights."""

    since: datetime
    until: datetime
    label: str  # "2026-W49": with the chat id, the post's idempotency key
    first_day: date  # the local Monday it began

    def key(self, chat_id: int) -> str:
        return f"{WEEKLY_POST}:{self.label}:{chat_id}"


def due_week(now: datetime, zone: ZoneInfo) -> DueWeek | None:
    """The week just finished when ``now`` is on a Monday at or after ``POST_HOUR`` (local),
    otherwise None."""
    today = local_date(now, zone)
    if today.weekday() != 0 or now < wall_instant(today, POST_HOUR * 60, zone):
        return None
    first: date = today - timedelta(days=7)
    year, week, _ = first.isocalendar()
    return DueWeek(
        wall_instant(first, 0, zone),
        wall_instant(today, 0, zone),
        f"{year}-W{week:02d}",
        first,
    )


def _minutes(value: timedelta | None, texts: Texts) -> str:
    return "—" if value is None else format_duration(round(value.total_seconds() / 60), texts)


def weekly_post_text(
    queue: QueuePlanFact, week: DueWeek, region_name: str, ui: BotTexts, texts: Texts
) -> str:
    """The post: the queue's measured and scheduled time without power, on-time starts and
    ends, unscheduled outages. Names the region and queue only, never a user."""
    last_day = week.first_day + timedelta(days=6)
    return ui.weekly_post.format(
        since=f"{week.first_day:%d.%m}",
        until=f"{last_day:%d.%m}",
        region=escape(region_name),
        queue=escape(queue_title(texts, queue.queue)),
        fact=_minutes(queue.compared_fact, texts),
        planned=_minutes(queue.planned, texts),
        starts_on_time=queue.starts_on_time,
        starts=queue.starts_seen,
        ends_on_time=queue.ends_on_time,
        ends=queue.ends_seen,
        unplanned=queue.unplanned,
    )
