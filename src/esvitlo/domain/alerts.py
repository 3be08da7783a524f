"""Schedule change alerts: one per changed day of a (region, queue), rendered once per language.

An alert's topic names the day (``schedule:{region}:{queue}:{date}``): a newer alert about
the same day replaces one still waiting. A recipient whose previous alert was replaced never
saw the version this one changes, so they get it ``restated``: the new day announced in full,
without "was / now" lines. The idempotency key adds the version of the stored day the alert
replaces and the fingerprint of the new day, so planning the same change twice adds nothing
while a schedule that flips back and forth still alerts every time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import ChangeKind, DayChange, DayDiff, QueueCheck, fingerprint
from esvitlo.domain.delivery import PRIORITY_TODAY, PRIORITY_TOMORROW
from esvitlo.domain.model import RegionSnapshot
from esvitlo.domain.render import render_change
from esvitlo.domain.texts import DEFAULT_LANGUAGE, texts_for

LANGUAGES = (DEFAULT_LANGUAGE, "en")
"""The languages an alert is rendered in; other languages read the default one."""


@dataclass(frozen=True, slots=True)
class ChangeAlert:
    """The change of one day of one (region, queue), as text per language."""

    region: str
    queue: str
    date: date
    kind: ChangeKind
    fingerprint: str
    texts: Mapping[str, str]
    restated: Mapping[str, str]

    @property
    def topic(self) -> str:
        """What the alert is about; a pending alert on the same topic is replaced by this one."""
        return f"schedule:{self.region}:{self.queue}:{self.date.isoformat()}"

    @property
    def priority(self) -> int:
        """Today's changes before tomorrow's."""
        return PRIORITY_TODAY if self.kind is ChangeKind.TODAY_CHANGED else PRIORITY_TOMORROW

    @property
    def setting(self) -> str:
        """The notification setting that must be on for a user to get this alert."""
        return "tomorrow" if self.kind is ChangeKind.TOMORROW_APPEARED else "schedule_changes"

    def key_prefix(self, replaces_revision: int) -> str:
        """The idempotency key without the recipient's chat id, which follows it."""
        return f"{self.topic}:{replaces_revision}.{self.fingerprint}:"

    def text(self, language: str, *, restate: bool = False) -> str:
        """The text in a language (the default one when missing); ``restate``: in full."""
        texts = self.restated if restate else self.texts
        return texts.get(language) or texts[DEFAULT_LANGUAGE]


def restatement(change: DayChange, today: date) -> DayChange:
    """The same new day told as a first announcement, with no reference to the old one."""
    kind = ChangeKind.TOMORROW_APPEARED if change.date > today else ChangeKind.TODAY_CHANGED
    return DayChange(kind, None, change.new, DayDiff(added=change.new.outages))


def _rendered(region: Region, queue: str, name: str | None, change: DayChange) -> dict[str, str]:
    zone = ZoneInfo(region.tz)
    return {
        lang: render_change(
            texts_for(lang), change, queue=queue, region=region.name(lang), zone=zone, name=name
        )
        for lang in LANGUAGES
    }


def change_alerts(
    region: Region, snapshot: RegionSnapshot, checks: Mapping[str, QueueCheck], today: date
) -> list[ChangeAlert]:
    """One alert per alert-worthy change of every queue, in queue and date order."""
    alerts: list[ChangeAlert] = []
    for queue in sorted(checks):
        schedule = snapshot.queues.get(queue)
        name = schedule.name if schedule is not None else None
        for change in sorted(checks[queue].changes, key=lambda c: c.date):
            texts = _rendered(region, queue, name, change)
            was_published = change.old is not None and change.old.published
            full = restatement(change, today)
            restated = _rendered(region, queue, name, full) if was_published else texts
            alerts.append(
                ChangeAlert(
                    region.id,
                    queue,
                    change.date,
                    change.kind,
                    fingerprint(change.new),
                    texts,
                    restated,
                )
            )
    return alerts
