"""Schedule change alerts: one message per changed (region, queue) and check, as channels get.

A check can change several days of a queue at once (today edited while tomorrow appears);
each changed day is a part of the alert. Which parts a follower gets depends on their
settings (``tomorrow``, shown as "new schedule published", for a day that appeared today or
tomorrow; ``schedule_changes`` for a change; ``emergency`` for emergency outages starting or
ending), so an alert carries one version per set of settings that picks a different set of
parts, each rendered once per language; a follower whose settings pick no part gets nothing.
An emergency part mixes with the others like any part: one message per queue and check, the
days in date order, sent at the most urgent priority of the parts it carries (an emergency
part makes the whole message go out just after power alerts).

The topic names the queue (``schedule:{region}:{queue}``): a newer alert replaces one still
waiting for the same chat. That chat never saw what the older one said, so it gets the
version ``restated``: its parts announced in full, without "was / now" lines, together with
the queue's other published days this check did not change (the older message may have
been about them). The idempotency key is made from every part's date, the revision of the
stored day it replaces and the new day's fingerprint (its state included): planning the
same check twice adds nothing, while a schedule that flips back and forth, or a day going
emergency, normal and emergency again, alerts every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from itertools import combinations
from zoneinfo import ZoneInfo

from esvitlo.domain.alert_messages import AlertMessage, AlertPicture, Highlight
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import ChangeKind, DayChange, DayDiff, QueueCheck, fingerprint
from esvitlo.domain.channel_posts import SchedulePicture
from esvitlo.domain.delivery import change_priority
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot
from esvitlo.domain.render import CAPTION_LIMIT, TEXT_LIMIT, new_outages, render_change
from esvitlo.domain.texts import DEFAULT_LANGUAGE, queue_title, texts_for

LANGUAGES = (DEFAULT_LANGUAGE, "en")
"""The languages an alert is rendered in; other languages read the default one."""
SCHEDULE_ALERT = "schedule_change"
"""The outbox kind of a schedule change alert."""
PUBLISHED_SETTING = "tomorrow"
"""A schedule published (today or tomorrow); the setting keeps its first name."""
CHANGES_SETTING = "schedule_changes"
EMERGENCY_SETTING = "emergency"


def setting_for(kind: ChangeKind) -> str:
    """The notification setting that must be on for a user to hear of this kind of change."""
    if kind.emergency:
        return EMERGENCY_SETTING
    return PUBLISHED_SETTING if kind.appeared else CHANGES_SETTING


def priority_for(kind: ChangeKind) -> int:
    """Emergency outages first, then today's schedule, then tomorrow's."""
    return change_priority(kind)


@dataclass(frozen=True, slots=True)
class AlertPart:
    """One changed day of an alert."""

    date: date
    kind: ChangeKind
    fingerprint: str

    def key(self, replaces_revision: int) -> str:
        """The part's share of the idempotency key."""
        return f"{self.date.isoformat()}:{replaces_revision}.{self.fingerprint}"


@dataclass(frozen=True, slots=True)
class AlertVersion:
    """The message for followers with exactly the ``wanted`` settings on of those the
    alert's parts need (``unwanted`` off): the parts they want, in each language."""

    wanted: frozenset[str]
    unwanted: frozenset[str]
    priority: int  # the most urgent of its parts
    texts: Mapping[str, str]
    restated: Mapping[str, str]
    pictures: Mapping[str, SchedulePicture] = field(default_factory=dict)  # per language
    highlight: Highlight = field(default_factory=dict)  # what the texts mark 🆕

    def text(self, language: str, *, restate: bool = False) -> str:
        """The text in a language (the default one when missing); ``restate``: in full."""
        texts = self.restated if restate else self.texts
        return texts.get(language) or texts[DEFAULT_LANGUAGE]

    def message(self, language: str, *, restate: bool = False) -> AlertMessage:
        """The message in a language: the text, the picture (its outlines only where the text
        marks outages 🆕: never when restated) and the buttons' language (the planning adds
        each recipient's subscription)."""
        picture = self.pictures.get(language) or self.pictures.get(DEFAULT_LANGUAGE)
        shown = AlertPicture(picture, {} if restate else self.highlight) if picture else None
        return AlertMessage(self.text(language, restate=restate), shown, language)


@dataclass(frozen=True, slots=True)
class ChangeAlert:
    """What one check changed in one (region, queue): one message per follower."""

    region: str
    queue: str
    parts: tuple[AlertPart, ...]
    versions: tuple[AlertVersion, ...]

    @property
    def kind(self) -> str:
        """The outbox kind of every message of the alert."""
        return SCHEDULE_ALERT

    @property
    def topic(self) -> str:
        """What the alert is about; a message pending on the same topic is replaced by this one."""
        return f"schedule:{self.region}:{self.queue}"

    def key_prefix(self, replaces: Mapping[date, int]) -> str:
        """The idempotency key without the recipient's chat id, which follows it.

        ``replaces`` maps each part's date to the revision of the stored day it replaces.
        """
        marks = "|".join(part.key(replaces.get(part.date, 0)) for part in self.parts)
        return f"{self.topic}:{hashlib.sha256(marks.encode()).hexdigest()[:32]}:"


def restatement(change: DayChange, today: date) -> DayChange:
    """The same new day told as a first announcement, with no reference to the old one
    (the end of emergency outages keeps its heading: the day is told in full under it)."""
    if change.kind is ChangeKind.EMERGENCY_ENDED:
        return DayChange(change.kind, None, change.new, DayDiff(added=change.new.outages))
    return announcement(change.new, today)


def announcement(day: DaySchedule, today: date) -> DayChange:
    """A published day told in full, as when it first appeared (or turned emergency)."""
    if day.state is DayState.EMERGENCY:
        return DayChange(ChangeKind.EMERGENCY_STARTED, None, day, DayDiff())
    kind = ChangeKind.TOMORROW_APPEARED if day.date > today else ChangeKind.TODAY_APPEARED
    return DayChange(kind, None, day, DayDiff(added=day.outages))


def _rendered(
    region: Region, queue: str, name: str | None, changes: Sequence[DayChange], pictured: bool
) -> dict[str, str]:
    """The text per language: a caption when a picture goes with it."""
    zone = ZoneInfo(region.tz)
    limit = CAPTION_LIMIT if pictured else TEXT_LIMIT
    return {
        lang: render_change(
            texts_for(lang),
            changes,
            queue=queue,
            region=region.name(lang),
            zone=zone,
            name=name,
            limit=limit,
            pictured=pictured,
        )
        for lang in LANGUAGES
    }


def _pictures(
    region: Region, queue: str, name: str | None, check: QueueCheck, today: date
) -> dict[str, SchedulePicture]:
    """Per language, the picture of the queue's today and tomorrow as the check keeps them
    (none when the check keeps nothing)."""
    if check.keep is None:
        return {}
    schedule = QueueSchedule(queue, name, tuple(check.keep[d] for d in sorted(check.keep)))
    return {
        lang: SchedulePicture(
            region.id,
            escape(region.name(lang)),
            escape(queue_title(texts_for(lang), queue, name)),
            region.tz,
            today,
            lang,
            schedule,
        )
        for lang in LANGUAGES
    }


def _highlight(changes: Sequence[DayChange]) -> Highlight:
    """Per day, the outages the changes' texts mark 🆕."""
    marked = {change.date: tuple(sorted(new_outages(change))) for change in changes}
    return {on: spans for on, spans in marked.items() if spans}


def _settings_choices(changes: Sequence[DayChange]) -> list[frozenset[str]]:
    """Every non-empty set of the settings the changes need: one version each."""
    needed = sorted({setting_for(change.kind) for change in changes})
    return [
        frozenset(chosen)
        for size in range(len(needed), 0, -1)
        for chosen in combinations(needed, size)
    ]


def _versions(
    region: Region, queue: str, name: str | None, check: QueueCheck, today: date
) -> tuple[AlertVersion, ...]:
    """One version per non-empty set of the settings the check's changes need."""
    changes = sorted(check.changes, key=lambda c: c.date)
    needed = frozenset(setting_for(change.kind) for change in changes)
    changed = {change.date for change in changes}
    unchanged = [
        announcement(day, today)
        for on, day in sorted((check.keep or {}).items())
        if on >= today and on not in changed and day.published
    ]
    pictures = _pictures(region, queue, name, check, today)
    versions = []
    for wanted in _settings_choices(changes):
        chosen = [change for change in changes if setting_for(change.kind) in wanted]
        texts = _rendered(region, queue, name, chosen, bool(pictures))
        full = [restatement(change, today) for change in chosen]
        restated = _rendered(region, queue, name, [*full, *unchanged], bool(pictures))
        priority = min(priority_for(change.kind) for change in chosen)
        versions.append(
            AlertVersion(
                wanted, needed - wanted, priority, texts, restated, pictures, _highlight(chosen)
            )
        )
    return tuple(versions)


def change_alerts(
    region: Region, snapshot: RegionSnapshot, checks: Mapping[str, QueueCheck], today: date
) -> list[ChangeAlert]:
    """One alert per queue with alert-worthy changes, in queue order; its parts in date order."""
    alerts: list[ChangeAlert] = []
    for queue in sorted(checks):
        check = checks[queue]
        if not check.changes:
            continue
        schedule = snapshot.queues.get(queue)
        name = schedule.name if schedule is not None else None
        parts = tuple(
            AlertPart(change.date, change.kind, fingerprint(change.new))
            for change in sorted(check.changes, key=lambda c: c.date)
        )
        versions = _versions(region, queue, name, check, today)
        alerts.append(ChangeAlert(region.id, queue, parts, versions))
    return alerts
