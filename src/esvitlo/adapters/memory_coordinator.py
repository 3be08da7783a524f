"""In-process coordination: ports.Coordinator and ports.SourceCache without Redis.

One instance alone is always the leader. Several coordinators may share a
``MemoryCoordinationHub`` (tests run a cluster in one process); leases and presence expire
by the injected clock, and events are delivered to the hub's subscribers at once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from esvitlo.ports import CachedDocument, Clock, CoordinationEvent, EventHandler

logger = logging.getLogger(__name__)


@dataclass
class MemoryCoordinationHub:
    """The state coordinators of one process share: leases, presence and subscribers."""

    clock: Clock
    leases: dict[str, tuple[str, float]] = field(default_factory=dict)
    presence: dict[str, float] = field(default_factory=dict)
    handlers: defaultdict[str, list[tuple[str, EventHandler]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def now(self) -> float:
        """The hub's clock in seconds since the epoch."""
        return self.clock.now().timestamp()


class MemoryCoordinator:
    """ports.Coordinator in one process: alone on its hub it always holds every lease."""

    def __init__(
        self,
        clock: Clock,
        instance_id: str = "local",
        *,
        hub: MemoryCoordinationHub | None = None,
    ) -> None:
        self._hub = hub or MemoryCoordinationHub(clock)
        self._id = instance_id

    @property
    def instance_id(self) -> str:
        """This instance's name."""
        return self._id

    async def hold(self, name: str, ttl: float) -> bool:
        """Take or extend the lease unless another instance holds it unexpired."""
        now = self._hub.now()
        holder = self._hub.leases.get(name)
        if holder is not None and holder[0] != self._id and holder[1] > now:
            return False
        self._hub.leases[name] = (self._id, now + ttl)
        return True

    async def release(self, name: str) -> None:
        """Drop the lease when it is ours."""
        holder = self._hub.leases.get(name)
        if holder is not None and holder[0] == self._id:
            del self._hub.leases[name]

    async def announce(self, ttl: float) -> None:
        """Count this instance live until ``ttl`` seconds from now."""
        self._hub.presence[self._id] = self._hub.now() + ttl

    async def leave(self) -> None:
        """Stop counting this instance live."""
        self._hub.presence.pop(self._id, None)

    async def live_instances(self) -> list[str]:
        """The instances whose presence has not expired, sorted."""
        now = self._hub.now()
        return sorted(name for name, until in self._hub.presence.items() if until > now)

    async def publish(self, channel: str, payload: str) -> None:
        """Call every subscriber of ``channel`` in turn; a failing handler is only logged."""
        event = CoordinationEvent(channel, payload, self._id)
        for _, handler in list(self._hub.handlers[channel]):
            try:
                await handler(event)
            except Exception:
                logger.exception("coordination.handler_failed channel=%s", channel)

    async def subscribe(self, channel: str, handler: EventHandler) -> None:
        """Add ``handler`` to the channel's subscribers."""
        self._hub.handlers[channel].append((self._id, handler))

    async def close(self) -> None:
        """Remove this instance's subscriptions."""
        for handlers in self._hub.handlers.values():
            handlers[:] = [(owner, h) for owner, h in handlers if owner != self._id]


class MemorySourceCache:
    """ports.SourceCache in one process, entries expiring by the injected clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._entries: dict[str, tuple[CachedDocument, float]] = {}

    async def get(self, url: str) -> CachedDocument | None:
        """The unexpired document for ``url``, or None."""
        entry = self._entries.get(url)
        if entry is None or entry[1] <= self._clock.now().timestamp():
            self._entries.pop(url, None)
            return None
        return entry[0]

    async def put(self, url: str, document: CachedDocument, ttl: float) -> None:
        """Keep ``document`` for ``ttl`` seconds."""
        self._entries[url] = (document, self._clock.now().timestamp() + ttl)
