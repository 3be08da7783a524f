"""Power detection: the user's monitors, the state the power watch keeps, and the prober."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.monitors import (
    Monitor,
    MonitorKind,
    PowerMessage,
    PowerOutage,
    WatchedMonitor,
)
from esvitlo.domain.power import PowerState, Transition
from esvitlo.domain.probing import ProbeResult


class Monitors(Protocol):
    """A user's power monitors and the outages they saw."""

    async def add(
        self,
        user_id: int,
        subscription_id: int,
        kind: MonitorKind,
        target: str,
        secret_hash: str | None,
        beat_every: timedelta,
        *,
        limit: int | None = None,
    ) -> Monitor:
        """Store a new monitor on one of the user's addresses; raise MonitorLimitReached when
        the user already has ``limit`` monitors (counted and inserted atomically)."""
        ...

    async def list_for_user(self, user_id: int) -> list[Monitor]:
        """The user's monitors, oldest first."""
        ...

    async def get(self, monitor_id: int, user_id: int) -> Monitor | None:
        """One of the user's monitors, or None when it is not theirs."""
        ...

    async def by_id(self, monitor_id: int) -> Monitor | None:
        """Any user's monitor by its id (for its secret page, checked by the caller)."""
        ...

    async def remove(self, monitor_id: int, user_id: int) -> bool:
        """Delete one of the user's monitors with its history; False when it is not theirs."""
        ...

    async def count_for_user(self, user_id: int) -> int:
        """How many monitors the user has."""
        ...

    async def replace_secret(self, monitor_id: int, user_id: int, secret_hash: str) -> bool:
        """Give one of the user's heartbeat monitors a new secret (its hash); the old one stops
        working at once. False when it is not theirs or not a heartbeat monitor."""
        ...

    async def set_notify(
        self, monitor_id: int, user_id: int, *, notify_user: bool, notify_channel: bool
    ) -> bool:
        """Choose who hears of the monitor's changes: the user, their channel, both."""
        ...

    async def outages(self, monitor_id: int, since: datetime, until: datetime) -> list[PowerOutage]:
        """The monitor's outages overlapping ``[since, until)``, oldest first."""
        ...


class PowerStore(Protocol):
    """What the power watch reads and writes: monitors with their state, and heartbeats."""

    async def watched(self) -> list[tuple[WatchedMonitor, int]]:
        """Every monitor with who hears of it, and its state version (for :meth:`save`)."""
        ...

    async def save(
        self,
        monitor_id: int,
        version: int,
        state: PowerState,
        transition: Transition | None = None,
        messages: Sequence[PowerMessage] = (),
    ) -> bool:
        """Store the state if it is still at ``version``, keep the outage history in step and
        queue the messages, all at once; False (nothing written) when someone else moved it."""
        ...

    async def record_beat(self, secret_hash: str, at: datetime) -> bool:
        """Note a heartbeat on the monitor whose secret has this hash (see
        domain.monitors.hash_secret); False when there is none."""
        ...


class Prober(Protocol):
    """Probes a monitor's address once (resolving and checking it first)."""

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        """The verdict of one probe; never raises for network trouble (INCONCLUSIVE)."""
        ...
