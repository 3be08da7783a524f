"""A user's notification settings: alert kinds, reminder lead times, quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from enum import StrEnum

from esvitlo.domain.accounts import LEAD_TIMES, NotificationSettings
from esvitlo.ports import NotificationPrefs, Users

# quiet-hour choices offered in turn by the settings screen
QUIET_PRESETS: tuple[tuple[time, time] | None, ...] = (
    None,
    (time(22), time(7)),
    (time(23), time(7)),
    (time(0), time(8)),
)


class AlertKind(StrEnum):
    """The alert kinds a user can switch on or off."""

    CHANGES = "changes"
    TOMORROW = "tomorrow"
    REMINDERS = "reminders"


class Edge(StrEnum):
    """Which end of an outage a reminder precedes."""

    OFF = "off"
    ON = "on"


def next_quiet_preset(current: tuple[time, time] | None) -> tuple[time, time] | None:
    """The preset after ``current`` in the cycle (an unknown custom range restarts it)."""
    try:
        index = QUIET_PRESETS.index(current)
    except ValueError:
        return QUIET_PRESETS[0]
    return QUIET_PRESETS[(index + 1) % len(QUIET_PRESETS)]


class PreferenceService:
    """Reads and changes one user's notification settings."""

    def __init__(self, users: Users, prefs: NotificationPrefs) -> None:
        self._users = users
        self._prefs = prefs

    async def get(self, telegram_id: int) -> NotificationSettings | None:
        """The user's settings (defaults until changed), or None for an unknown user."""
        user = await self._users.get_by_telegram_id(telegram_id)
        return await self._prefs.get(user.id) if user else None

    async def _change(self, telegram_id: int, **changes: object) -> NotificationSettings | None:
        current = await self.get(telegram_id)
        if current is None:
            return None
        updated = replace(current, **changes)  # type: ignore[arg-type]
        await self._prefs.save(updated)
        return updated

    async def toggle(self, telegram_id: int, kind: AlertKind) -> NotificationSettings | None:
        """Switch one alert kind on or off."""
        current = await self.get(telegram_id)
        if current is None:
            return None
        field = {
            AlertKind.CHANGES: "schedule_changes",
            AlertKind.TOMORROW: "tomorrow",
            AlertKind.REMINDERS: "reminders",
        }[kind]
        return await self._change(telegram_id, **{field: not getattr(current, field)})

    async def toggle_lead(
        self, telegram_id: int, edge: Edge, minutes: int
    ) -> NotificationSettings | None:
        """Add or remove one reminder lead time before an outage or before restoration."""
        current = await self.get(telegram_id)
        if current is None or minutes not in LEAD_TIMES:
            return current
        field = "remind_before_off" if edge is Edge.OFF else "remind_before_on"
        chosen = set(getattr(current, field)) ^ {minutes}
        return await self._change(telegram_id, **{field: tuple(sorted(chosen))})

    async def cycle_quiet_hours(self, telegram_id: int) -> NotificationSettings | None:
        """Move to the next quiet-hours preset (off, 22–07, 23–07, 00–08)."""
        current = await self.get(telegram_id)
        if current is None:
            return None
        now = (
            (current.quiet_start, current.quiet_end)
            if current.quiet_start is not None and current.quiet_end is not None
            else None
        )
        chosen = next_quiet_preset(now)
        start, end = chosen if chosen else (None, None)
        return await self._change(telegram_id, quiet_start=start, quiet_end=end)
