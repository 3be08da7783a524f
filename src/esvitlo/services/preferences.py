"""A user's notification settings: alert kinds, reminder lead times, quiet hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from enum import StrEnum

from esvitlo.domain.accounts import LEAD_TIMES, NotificationSettings
from esvitlo.ports import NotificationPrefs, Users


class AlertKind(StrEnum):
    """The alert kinds a user can switch on or off."""

    CHANGES = "changes"
    TOMORROW = "tomorrow"  # a new schedule published, today's or tomorrow's
    EMERGENCY = "emergency"
    REMINDERS = "reminders"
    CROWD = "crowd"  # three states: the default (None), on, off
    CROWD_PLAN = "crowd_plan"  # the queue's power back earlier / later than planned


class Edge(StrEnum):
    """Which end of an outage a reminder precedes."""

    OFF = "off"
    ON = "on"


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
        """Switch one alert kind on or off; crowd alerts go default → on → off → default
        (the default: on for a user with no power monitor of their own)."""
        current = await self.get(telegram_id)
        if current is None:
            return None
        if kind is AlertKind.CROWD:
            following = {None: True, True: False, False: None}[current.crowd]
            return await self._change(telegram_id, crowd=following)
        field = {
            AlertKind.CHANGES: "schedule_changes",
            AlertKind.TOMORROW: "tomorrow",
            AlertKind.EMERGENCY: "emergency",
            AlertKind.REMINDERS: "reminders",
            AlertKind.CROWD_PLAN: "crowd_plan",
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

    async def set_quiet_hours(
        self, telegram_id: int, hours: tuple[int, int] | None
    ) -> NotificationSettings | None:
        """Quiet hours from one whole hour to another (across midnight too), or None: off.
        A range that starts and ends at the same hour is refused (None)."""
        current = await self.get(telegram_id)
        if current is None:
            return None
        if hours is None:
            return await self._change(telegram_id, quiet_start=None, quiet_end=None)
        start, end = hours
        if start == end or not (0 <= start < 24 and 0 <= end < 24):
            return None
        return await self._change(telegram_id, quiet_start=time(start), quiet_end=time(end))
