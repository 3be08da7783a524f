"""Who uses the bot and what they follow: users, subscriptions, notification settings, channels.

Pure values; storage lives behind the ports. Times are aware UTC except the quiet hours,
which are local wall-clock times of the user's region.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

LEAD_TIMES = (0, 5, 10, 15, 30, 60)
"""Minutes before an outage starts or ends that a reminder may be sent (0: at the moment)."""


MAX_LABEL = 32
"""The longest address label, in characters."""


class DuplicateSubscription(Exception):
    """The user already follows this (region, queue)."""


class SubscriptionLimitReached(Exception):
    """The user already follows as many queues as they may."""


def clean_label(text: str) -> str | None:
    """A trimmed one-line label of 1..32 characters, or None when it does not fit or holds a
    control character (NUL and the like, which a label never needs and PostgreSQL refuses)."""
    label = " ".join(text.split())
    if not 0 < len(label) <= MAX_LABEL:
        return None
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in label):
        return None
    return label


@dataclass(frozen=True, slots=True)
class User:
    """A Telegram user known to the bot; inactive once they block it."""

    id: int
    telegram_id: int
    language: str
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    """One (region, queue) a user follows, under a label such as "home" or "parents"."""

    id: int
    user_id: int
    region: str
    queue: str
    label: str
    created_at: datetime


def _check_lead_times(name: str, minutes: tuple[int, ...]) -> None:
    unknown = [m for m in minutes if m not in LEAD_TIMES]
    if unknown:
        raise ValueError(f"{name}: lead times {unknown} not in {LEAD_TIMES}")
    if len(set(minutes)) != len(minutes):
        raise ValueError(f"{name}: repeated lead times {minutes}")


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """What a user wants to be told, how long before, and when to stay silent."""

    user_id: int
    schedule_changes: bool = True
    tomorrow: bool = True  # a new schedule published, today's or tomorrow's (its first name)
    emergency: bool = True  # emergency outages starting and ending
    reminders: bool = True
    remind_before_off: tuple[int, ...] = (15,)
    remind_before_on: tuple[int, ...] = ()
    quiet_start: time | None = None
    quiet_end: time | None = None
    # crowd alerts (unscheduled outage likely); None: the default, on unless the user has a
    # power monitor of their own (decided where the alert is planned)
    crowd: bool | None = None
    crowd_plan: bool = False  # the queue's power back earlier / later than planned

    def __post_init__(self) -> None:
        _check_lead_times("remind_before_off", self.remind_before_off)
        _check_lead_times("remind_before_on", self.remind_before_on)
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("quiet hours need both a start and an end")
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            raise ValueError("quiet hours must not start and end at the same time")

    def in_quiet_hours(self, local_time: time) -> bool:
        """Whether a local time is in ``[quiet_start, quiet_end)``, also across midnight."""
        start, end = self.quiet_start, self.quiet_end
        if start is None or end is None:
            return False
        moment = local_time.replace(tzinfo=None)
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end


class ChannelStatus(StrEnum):
    """Where a user's channel stands: awaiting setup, publishing, paused, or access lost."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    LOST = "lost"


class ChatKind(StrEnum):
    """Where posts go: a channel, or a group or supergroup (a forum has topics)."""

    CHANNEL = "channel"
    GROUP = "group"
    SUPERGROUP = "supergroup"

    @property
    def is_group(self) -> bool:
        """Whether people talk there (groups only: linking needs a group admin)."""
        return self is not ChatKind.CHANNEL


class PostMode(StrEnum):
    """How a channel gets a new schedule: its previous post edited, or a new post."""

    NEW = "new"
    EDIT = "edit"


class CaptionStyle(StrEnum):
    """What a channel post says under its picture: the full caption, or a one-line title."""

    FULL = "full"
    PICTURE = "picture"


POST_STYLES: tuple[tuple[PostMode, bool], ...] = (
    (PostMode.NEW, False),
    (PostMode.NEW, True),
    (PostMode.EDIT, False),
)
"""The (mode, delete the previous post) choices a channel owner cycles through, in order."""


def next_post_style(mode: PostMode, delete_previous: bool) -> tuple[PostMode, bool]:
    """The style after ``(mode, delete_previous)`` in POST_STYLES; the first after the last."""
    current = (mode, delete_previous and mode is PostMode.NEW)
    index = POST_STYLES.index(current) if current in POST_STYLES else -1
    return POST_STYLES[(index + 1) % len(POST_STYLES)]


@dataclass(frozen=True, slots=True)
class Channel:
    """A Telegram channel or group a user lets the bot publish into, optionally tied to a
    subscription; in a forum supergroup, posts go to one topic (``thread_id``; None: General).
    The caption template is checked by :mod:`esvitlo.domain.channel_captions`.
    """

    id: int
    chat_id: int
    owner_user_id: int
    subscription_id: int | None
    title: str
    status: ChannelStatus
    last_post_message_id: int | None
    created_at: datetime
    post_mode: PostMode = PostMode.NEW
    delete_previous: bool = False  # only with PostMode.NEW
    kind: ChatKind = ChatKind.CHANNEL
    thread_id: int | None = None
    caption_style: CaptionStyle = CaptionStyle.FULL
    caption_template: str | None = None  # None: the default caption
    post_buttons: bool = True  # the timer and today links under each post


@dataclass(frozen=True, slots=True)
class AdminStats:
    """Head counts for the admin panel."""

    users: int
    active_users: int
    subscriptions_by_region: Mapping[str, int]
    channels: int
    pending_outbox: int


def conversation_key(
    bot_id: int,
    chat_id: int,
    user_id: int,
    *,
    thread_id: int | None = None,
    business_connection_id: str | None = None,
    destiny: str = "default",
) -> str:
    """The text key of one conversation's state; the user's Telegram id is its third field."""
    thread = "" if thread_id is None else str(thread_id)
    return f"{bot_id}:{chat_id}:{user_id}:{thread}:{business_connection_id or ''}:{destiny}"


def conversation_user_id(key: str) -> int | None:
    """The Telegram user id inside a key made by :func:`conversation_key`, None for other keys."""
    parts = key.split(":")
    if len(parts) < 3:
        return None
    try:
        return int(parts[2])
    except ValueError:
        return None
