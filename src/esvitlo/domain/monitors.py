"""Power monitors: what a user attaches to an address to learn whether the home has power.

A monitor either probes an address (the home router: IP or DDNS name) or waits for
heartbeats, calls a device at home makes to a secret URL. Its power state is a
:class:`~esvitlo.domain.power.PowerState`; outages it saw are kept as intervals.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from esvitlo.domain.power import INITIAL, Power, PowerState

SECRET_BYTES = 24
"""Random bytes in a heartbeat secret (32 URL-safe characters)."""


class MonitorLimitReached(Exception):
    """The user already has the maximum number of monitors."""


def hash_secret(secret: str) -> str:
    """The SHA-256 of a heartbeat secret in hex: what is stored and looked up, never the secret.

    A secret is 192 random bits, so a plain hash is enough (no salt, no slow hash).
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class MonitorKind(StrEnum):
    """How a monitor learns about power: by probing an address, or by heartbeats."""

    PROBE = "probe"
    HEARTBEAT = "heartbeat"


@dataclass(frozen=True, slots=True)
class Monitor:
    """A user's monitor on one of their addresses (subscriptions).

    ``target`` is the canonical address text for probes (``MonitorTarget.as_text``) and
    empty for heartbeats; ``secret_hash`` is the hash of the secret in a heartbeat's URL
    (the secret itself is shown once and never kept); ``beat_every`` is how often the device
    promised to call.
    """

    id: int
    user_id: int
    subscription_id: int | None
    kind: MonitorKind
    target: str
    secret_hash: str | None
    beat_every: timedelta
    notify_user: bool
    notify_channel: bool
    created_at: datetime
    state: PowerState = INITIAL
    last_beat_at: datetime | None = None

    @property
    def power(self) -> Power:
        return self.state.power


@dataclass(frozen=True, slots=True)
class WatchedMonitor:
    """A monitor as the power watch needs it: who hears of a change, and about which address.

    ``chat_id`` is the owner's Telegram chat (None when they should not be told: inactive or
    alerts off); ``channel_chat_ids`` the owner's active channels linked to the address when
    the monitor posts there. Channels hear in the owner's language.
    """

    monitor: Monitor
    chat_id: int | None
    language: str
    region: str | None
    queue: str | None
    label: str
    channel_chat_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PowerOutage:
    """An outage a monitor saw: ``[start, end)``, ``end`` None while it lasts.

    ``start_exact`` is False when the monitor started watching during the outage, so the
    real start was earlier.
    """

    start: datetime
    end: datetime | None
    start_exact: bool = True

    def clipped(self, since: datetime, until: datetime) -> tuple[datetime, datetime] | None:
        """The part inside ``[since, until)`` (an open outage runs to ``until``), or None."""
        start = max(self.start, since)
        end = min(self.end or until, until)
        return (start, end) if start < end else None


@dataclass(frozen=True, slots=True)
class PowerMessage:
    """One alert about a transition for one chat, ready for the outbox."""

    chat_id: int
    text: str
    is_channel: bool = False
