"""What the delivery pipeline moves: outbox messages, their priorities and recipients.

Priorities are small integers, smaller is sent sooner: power alerts first, then emergency
outages starting or ending, reminders, today's schedule changes, tomorrow's, and broadcasts
last. The numbers live in outbox rows, for ordering; reminders moved from 1 to 2 when
emergency alerts came in between (migration 0008 moves the waiting ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum
from typing import Any

from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.changes import ChangeKind

PRIORITY_POWER = 0
PRIORITY_EMERGENCY = 1
PRIORITY_REMINDER = 2
PRIORITY_TODAY = 3
PRIORITY_TOMORROW = 5
PRIORITY_BROADCAST = 9


def change_priority(kind: ChangeKind) -> int:
    """A schedule alert's or post's priority: emergency outages first, then today, tomorrow."""
    if kind.emergency:
        return PRIORITY_EMERGENCY
    today = kind in (ChangeKind.TODAY_CHANGED, ChangeKind.TODAY_APPEARED)
    return PRIORITY_TODAY if today else PRIORITY_TOMORROW


class OutboxStatus(StrEnum):
    """Where an outbox row stands; only ``pending`` rows (and expired ``sending`` ones) are due."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    SUPERSEDED = "superseded"
    DROPPED = "dropped"


def is_private_chat(chat_id: int) -> bool:
    """Whether a chat id is a person's private chat (groups and channels are negative)."""
    return chat_id > 0


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed outbox row, with the recipient's quiet hours when it is a user who set them."""

    id: int
    chat_id: int
    kind: str
    topic: str
    payload: Mapping[str, Any]
    priority: int
    attempts: int
    quiet_start: time | None = None
    quiet_end: time | None = None

    @property
    def text(self) -> str | None:
        """The HTML text to send, or None when the payload has none."""
        value = self.payload.get("text")
        return value if isinstance(value, str) else None

    def silent_at(self, local_time: time) -> bool:
        """Whether the recipient's local time is inside their quiet hours."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start == self.quiet_end:
            return False
        settings = NotificationSettings(0, quiet_start=self.quiet_start, quiet_end=self.quiet_end)
        return settings.in_quiet_hours(local_time)
