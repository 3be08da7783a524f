"""The reminders of one (region, queue) as outbox messages: keyed, rendered once per language.

Every reminder of a queue has the topic ``reminder:{region}:{queue}``: reminders are never
coalesced with one another, and the planner finds a queue's waiting reminders by it. The
idempotency key adds the reminder's key (edge, lead time and the outage's UTC interval, so
it holds the date) and the chat id: one reminder reaches a person once, and an outage that
moves gets new keys.

A reminder *stands* (may wait in the outbox) from when it enters the planning window until
half its lead time after it was due (two minutes at least, so one "at the moment itself"
can go out): later, it would arrive too late to help, so it is withdrawn. It is queued
only while it is still ahead, never for a moment already past.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import LEAD_TIMES
from esvitlo.domain.alerts import LANGUAGES
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.delivery import PRIORITY_REMINDER
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.reminders import Edge, Reminder, plan_reminders
from esvitlo.domain.render import render_reminder
from esvitlo.domain.texts import DEFAULT_LANGUAGE, texts_for

REMINDER = "reminder"
"""The outbox ``kind`` of every reminder."""

LATE_FRACTION = 0.5
"""A reminder later than this fraction of its lead time is withdrawn rather than sent."""
LEAST_LATENESS = timedelta(minutes=2)
"""But every reminder may be this late (one "at the moment itself" has no lead time)."""

Lead = tuple[Edge, int]
"""Which edge and how many minutes before it."""


def chosen_leads(
    reminders: bool, before_off: Iterable[int], before_on: Iterable[int]
) -> frozenset[Lead]:
    """The (edge, lead time) pairs a user's settings want; none with reminders off."""
    if not reminders:
        return frozenset()
    return frozenset({(Edge.OFF, m) for m in before_off} | {(Edge.ON, m) for m in before_on})


@dataclass(frozen=True, slots=True)
class Recipient:
    """A follower of a queue: their chat, language, the reminders they want, and their own
    name for the address (shown before the reminder)."""

    chat_id: int
    language: str
    leads: frozenset[Lead]
    label: str = ""


def reminder_topic(region: str, queue: str) -> str:
    """The topic every reminder of a (region, queue) shares."""
    return f"{REMINDER}:{region}:{queue}"


def lateness_allowed(reminder: Reminder) -> timedelta:
    """How long after its time a reminder may still be sent."""
    return max(timedelta(minutes=reminder.lead) * LATE_FRACTION, LEAST_LATENESS)


@dataclass(frozen=True, slots=True)
class ReminderAlert:
    """One reminder of one (region, queue), as text per language."""

    region: str
    queue: str
    reminder: Reminder
    texts: Mapping[str, str]

    @property
    def topic(self) -> str:
        """The queue's reminder topic."""
        return reminder_topic(self.region, self.queue)

    @property
    def key_prefix(self) -> str:
        """The idempotency key without the recipient's chat id, which follows it."""
        return f"{self.topic}:{self.reminder.key}:"

    @property
    def due_at(self) -> datetime:
        """When the reminder is to be sent."""
        return self.reminder.fire_at

    @property
    def priority(self) -> int:
        """Reminders go before schedule changes."""
        return PRIORITY_REMINDER

    def text(self, language: str) -> str:
        """The text in a language (the default one when missing)."""
        return self.texts.get(language) or self.texts[DEFAULT_LANGUAGE]

    def text_for(self, recipient: Recipient) -> str:
        """The text a recipient gets: in their language, headed by their label for the address
        (on the first line, which the notification shows)."""
        text = self.text(recipient.language)
        if not recipient.label:
            return text
        template = texts_for(recipient.language).reminder_for
        return template.format(label=escape(recipient.label), reminder=text)


@dataclass(frozen=True, slots=True)
class QueueReminders:
    """The reminders one queue should have waiting at ``now``, and the days they come from.

    ``basis`` holds the fingerprint of every stored day the plan was computed from: a store
    applies the plan only while it still holds exactly those days.
    """

    region: str
    queue: str
    now: datetime
    basis: Mapping[date, str]
    standing: tuple[ReminderAlert, ...]

    @property
    def topic(self) -> str:
        """The queue's reminder topic."""
        return reminder_topic(self.region, self.queue)

    @property
    def upcoming(self) -> tuple[ReminderAlert, ...]:
        """The standing reminders still ahead: the only ones that may be queued anew."""
        return tuple(alert for alert in self.standing if alert.due_at > self.now)


def _rendered(region: Region, queue: str, reminder: Reminder, zone: ZoneInfo) -> dict[str, str]:
    return {
        lang: render_reminder(
            texts_for(lang), reminder, queue=queue, region=region.name(lang), zone=zone
        )
        for lang in LANGUAGES
    }


GRACE = timedelta(minutes=max(LEAD_TIMES)) * LATE_FRACTION
"""The longest any reminder may be late: how far back a plan looks."""


def standing_among(planned: Iterable[Reminder], now: datetime, window: timedelta) -> list[Reminder]:
    """The reminders of ``planned`` (from ``plan_reminders`` at ``now - GRACE`` or earlier on
    the same local day) that stand at ``now``: due within ``window``, not yet too late."""
    since = now - GRACE
    return [
        reminder
        for reminder in planned
        if since < reminder.fire_at <= now + window
        and reminder.edge_at > since
        and reminder.fire_at + lateness_allowed(reminder) > now
    ]


def queue_reminders(
    region: Region,
    queue: str,
    days: Iterable[DaySchedule],
    now: datetime,
    window: timedelta,
    planned: Iterable[Reminder] | None = None,
) -> QueueReminders:
    """Every reminder, for each lead time and both edges, that stands at ``now`` within
    ``window``; recipients pick theirs by their own lead times. ``planned``: the reminders
    of these days planned earlier on the same local day, to pick from instead."""
    stored = list(days)
    zone = ZoneInfo(region.tz)
    if planned is None:
        planned = plan_reminders(
            stored,
            zone,
            now - GRACE,
            before_off=LEAD_TIMES,
            before_on=LEAD_TIMES,
            horizon=window + GRACE,
        )
    standing = tuple(
        ReminderAlert(region.id, queue, reminder, _rendered(region, queue, reminder, zone))
        for reminder in standing_among(planned, now, window)
    )
    basis = {day.date: fingerprint(day) for day in stored}
    return QueueReminders(region.id, queue, now, basis, standing)


def addressed(
    plan: QueueReminders, recipients: Iterable[Recipient]
) -> dict[str, tuple[ReminderAlert, Recipient]]:
    """Every standing reminder of the plan for every recipient who wants it, by the
    idempotency key of that (reminder, recipient)."""
    wanted: dict[str, tuple[ReminderAlert, Recipient]] = {}
    by_lead: dict[Lead, list[tuple[str, ReminderAlert]]] = {}
    for alert in plan.standing:
        lead = (alert.reminder.edge, alert.reminder.lead)
        by_lead.setdefault(lead, []).append((alert.key_prefix, alert))
    for recipient in recipients:
        for lead in recipient.leads:
            for prefix, alert in by_lead.get(lead, ()):
                wanted[f"{prefix}{recipient.chat_id}"] = (alert, recipient)
    return wanted
