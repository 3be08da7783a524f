"""Power monitors as the user manages them: add (probe or heartbeat), list, who is told,
remove (their statistics: services/power_reports.py).

A probe monitor is probed once before it is saved: an address that answers is saved at
once; any other (silent, as most home routers are to the internet, or not checkable: a name
that does not resolve or leads to a refused address) is saved only after the user confirms.
The user learns "reachable" or "not reachable", nothing more, and at most
``FIRST_PROBES_PER_WINDOW`` such probes per ``FIRST_PROBE_WINDOW``: adding monitors must
not make a port scanner. Nothing here renders text: outcomes are values for the bot to put
into words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from esvitlo.domain.accounts import Subscription
from esvitlo.domain.addresses import (
    InvalidTarget,
    MonitorTarget,
    check_router_port,
    parse_target,
)
from esvitlo.domain.heartbeat_setup import heartbeat_url, is_local_base
from esvitlo.domain.monitors import Monitor, MonitorKind, MonitorLimitReached, hash_secret
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.domain.sliding_window import SlidingWindowLimiter
from esvitlo.ports import (
    Clock,
    Monitors,
    Prober,
    Subscriptions,
    Users,
)
from esvitlo.services.heartbeats import new_secret

logger = logging.getLogger("esvitlo.monitors")

BEAT_PERIODS = (30, 60, 300)
"""Heartbeat periods a user may choose, in seconds."""
FIRST_PROBES_PER_WINDOW = 5
FIRST_PROBE_WINDOW = timedelta(minutes=10)
"""At most this many add-a-monitor probes per user in any such window (per instance)."""


class AddStatus(StrEnum):
    """What became of an attempt to add a probe monitor."""

    SAVED = "saved"  # it answered; stored
    CONFIRM = "confirm"  # not reachable (for any reason): save only if the user says so
    INVALID = "invalid"  # the text is not an address we may probe
    TOO_MANY = "too_many"  # too many probes lately: nothing probed, try after retry_after
    LIMIT = "limit"  # the user has the maximum number of monitors
    GONE = "gone"  # the address (subscription) is not the user's any more


@dataclass(frozen=True, slots=True)
class ProbeAttempt:
    """The outcome of adding a probe monitor; the fields that apply to its status are set."""

    status: AddStatus
    target: MonitorTarget | None = None
    probe: ProbeResult | None = None
    problem: InvalidTarget | None = None
    monitor: Monitor | None = None
    retry_after: timedelta | None = None


@dataclass(frozen=True, slots=True)
class HeartbeatSetup:
    """A heartbeat monitor with its URL, shown this once (only the secret's hash is kept);
    ``local_base``: devices outside cannot call it."""

    monitor: Monitor
    url: str
    local_base: bool


@dataclass(frozen=True, slots=True)
class OwnedMonitor:
    """One of the user's monitors with the address it watches (None when that is gone)."""

    monitor: Monitor
    address: Subscription | None


class MonitorService:
    """Everything a user does with their power monitors."""

    def __init__(
        self,
        users: Users,
        subscriptions: Subscriptions,
        monitors: Monitors,
        prober: Prober,
        clock: Clock,
        *,
        public_url: str = "http://localhost:8080",
        max_monitors: int = 3,
        probe_interval: float = 30.0,
    ) -> None:
        self._users = users
        self._subscriptions = subscriptions
        self._monitors = monitors
        self._prober = prober
        self._clock = clock
        self.public_url = public_url.rstrip("/")
        self.max_monitors = max_monitors
        self.probe_every = timedelta(seconds=probe_interval)  # how often routers are probed
        self._first_probes = SlidingWindowLimiter(FIRST_PROBES_PER_WINDOW, FIRST_PROBE_WINDOW)

    @property
    def local_base(self) -> bool:
        """Whether the public URL can be reached only locally (devices outside cannot beat)."""
        return is_local_base(self.public_url)

    async def _owner(self, telegram_id: int) -> int | None:
        user = await self._users.get_by_telegram_id(telegram_id)
        return user.id if user else None

    async def _address(self, telegram_id: int, sub_id: int) -> tuple[int, Subscription] | None:
        user_id = await self._owner(telegram_id)
        if user_id is None:
            return None
        sub = await self._subscriptions.get(sub_id, user_id)
        return (user_id, sub) if sub else None

    async def can_add(self, telegram_id: int) -> bool:
        """Whether the user is below the monitor limit."""
        user_id = await self._owner(telegram_id)
        if user_id is None:
            return False
        return await self._monitors.count_for_user(user_id) < self.max_monitors

    async def try_probe(self, telegram_id: int, sub_id: int, text: str) -> ProbeAttempt:
        """Read the address, probe it once (within the user's probe budget), and save it
        when it answers."""
        ready = await self._prepare(telegram_id, sub_id, text)
        if isinstance(ready, ProbeAttempt):
            return ready
        user_id, target = ready
        wait = self._first_probes.take(user_id, self._clock.now())
        if wait is not None:
            seconds = wait.total_seconds()
            logger.info("monitor.first_probe_limited user=%s wait_s=%d", user_id, seconds)
            return ProbeAttempt(AddStatus.TOO_MANY, target, retry_after=wait)
        result = await self._prober.probe(target)
        logger.info(
            "monitor.first_probe user=%s verdict=%s method=%s detail=%s",
            user_id,
            result.verdict.value,
            result.method,
            result.detail,
        )
        if result.verdict is not ProbeVerdict.ANSWERED:
            return ProbeAttempt(AddStatus.CONFIRM, target, result)
        return await self._save_probe(user_id, sub_id, target, result)

    async def confirm_probe(self, telegram_id: int, sub_id: int, target_text: str) -> ProbeAttempt:
        """Save a probe monitor the user chose to keep although it did not answer."""
        ready = await self._prepare(telegram_id, sub_id, target_text)
        if isinstance(ready, ProbeAttempt):
            return ready
        user_id, target = ready
        return await self._save_probe(user_id, sub_id, target)

    async def _prepare(
        self, telegram_id: int, sub_id: int, text: str
    ) -> tuple[int, MonitorTarget] | ProbeAttempt:
        """The owner's id and the parsed target, or why a probe monitor cannot be added."""
        found = await self._address(telegram_id, sub_id)
        if found is None:
            return ProbeAttempt(AddStatus.GONE)
        user_id, _ = found
        if await self._monitors.count_for_user(user_id) >= self.max_monitors:
            return ProbeAttempt(AddStatus.LIMIT)
        try:
            return user_id, check_router_port(parse_target(text))
        except InvalidTarget as problem:
            return ProbeAttempt(AddStatus.INVALID, problem=problem)

    async def _save_probe(
        self, user_id: int, sub_id: int, target: MonitorTarget, probe: ProbeResult | None = None
    ) -> ProbeAttempt:
        """Save a probe monitor within the limit (checked by the store at the insert)."""
        try:
            monitor = await self._monitors.add(
                user_id, sub_id, MonitorKind.PROBE, target.as_text(), None, timedelta(0),
                limit=self.max_monitors,
            )  # fmt: skip
        except MonitorLimitReached:
            return ProbeAttempt(AddStatus.LIMIT, target, probe)
        logger.info("monitor.added id=%s kind=probe user=%s", monitor.id, user_id)
        return ProbeAttempt(AddStatus.SAVED, target, probe, monitor=monitor)

    async def add_heartbeat(self, telegram_id: int, sub_id: int, every_s: int) -> HeartbeatSetup:
        """Save a heartbeat monitor with a fresh secret; raises MonitorLimitReached, LookupError."""
        if every_s not in BEAT_PERIODS:
            raise ValueError(f"heartbeat period must be one of {BEAT_PERIODS}")
        found = await self._address(telegram_id, sub_id)
        if found is None:
            raise LookupError("not the user's address")
        user_id, _ = found
        if await self._monitors.count_for_user(user_id) >= self.max_monitors:
            raise MonitorLimitReached
        secret, every = new_secret(), timedelta(seconds=every_s)
        monitor = await self._monitors.add(
            user_id, sub_id, MonitorKind.HEARTBEAT, "", hash_secret(secret), every,
            limit=self.max_monitors,
        )  # fmt: skip
        logger.info("monitor.added id=%s kind=heartbeat user=%s", monitor.id, user_id)
        return self._setup(monitor, secret)

    async def new_heartbeat_link(self, telegram_id: int, monitor_id: int) -> HeartbeatSetup | None:
        """A new secret for one of the user's heartbeat monitors (the old URL stops working
        at once); None when it is not theirs or not a heartbeat monitor."""
        owner = await self._owner(telegram_id)
        if owner is None:
            return None
        secret = new_secret()
        if not await self._monitors.replace_secret(monitor_id, owner, hash_secret(secret)):
            return None
        monitor = await self._monitors.get(monitor_id, owner)
        if monitor is None:
            return None
        logger.info("monitor.new_link id=%s user=%s", monitor_id, owner)
        return self._setup(monitor, secret)

    def _setup(self, monitor: Monitor, secret: str) -> HeartbeatSetup:
        return HeartbeatSetup(monitor, heartbeat_url(self.public_url, secret), self.local_base)

    async def monitors_of(self, telegram_id: int) -> list[OwnedMonitor]:
        """The user's monitors with their addresses, oldest first."""
        user_id = await self._owner(telegram_id)
        if user_id is None:
            return []
        subs = {sub.id: sub for sub in await self._subscriptions.list_for_user(user_id)}
        monitors = await self._monitors.list_for_user(user_id)
        return [OwnedMonitor(m, subs.get(m.subscription_id or 0)) for m in monitors]

    async def owned(self, telegram_id: int, monitor_id: int) -> OwnedMonitor | None:
        """One of the user's monitors, or None when it is not theirs (or gone)."""
        user_id = await self._owner(telegram_id)
        if user_id is None:
            return None
        monitor = await self._monitors.get(monitor_id, user_id)
        if monitor is None:
            return None
        sub = None
        if monitor.subscription_id is not None:
            sub = await self._subscriptions.get(monitor.subscription_id, user_id)
        return OwnedMonitor(monitor, sub)

    async def set_notify(
        self, telegram_id: int, monitor_id: int, *, user: bool, channel: bool
    ) -> bool:
        """Choose who is told of the monitor's changes; at least one of the two."""
        owner = await self._owner(telegram_id)
        if owner is None or not (user or channel):
            return False
        return await self._monitors.set_notify(
            monitor_id, owner, notify_user=user, notify_channel=channel
        )

    async def remove(self, telegram_id: int, monitor_id: int) -> bool:
        """Delete one of the user's monitors with its history."""
        owner = await self._owner(telegram_id)
        removed = owner is not None and await self._monitors.remove(monitor_id, owner)
        if removed:
            logger.info("monitor.removed id=%s user=%s", monitor_id, owner)
        return removed
