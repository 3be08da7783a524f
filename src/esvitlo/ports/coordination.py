"""Coordination between instances: one in-process implementation, one over Redis."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CoordinationEvent:
    """A message published to every instance on a channel; ``sender`` is its instance id."""

    channel: str
    payload: str
    sender: str


EventHandler = Callable[[CoordinationEvent], Awaitable[None]]


class CoordinationUnavailable(Exception):
    """The shared coordination backend cannot be reached; what it knows is unknown."""


class Coordinator(Protocol):
    """What instances share: named leases (leadership, task locks), presence and events.

    Leases are held by ``instance_id`` for a TTL; a holder that stops refreshing loses them.
    An unreachable backend never grants a lease: ``hold`` raises CoordinationUnavailable, and
    a holder cut off from it must assume it lost the lease unless it knows it is alone (see
    services.coordination). Events are best-effort hints (a lost
    connection loses the events published meanwhile): receivers re-read what they mean.
    """

    @property
    def instance_id(self) -> str:
        """This instance's name, unique among live instances."""
        ...

    async def hold(self, name: str, ttl: float) -> bool:
        """Take the lease ``name`` for ``ttl`` seconds, or extend it when it is already ours;
        False when another instance holds it; CoordinationUnavailable when the backend
        cannot answer."""
        ...

    async def release(self, name: str) -> None:
        """Give the lease ``name`` up if this instance holds it (otherwise nothing happens)."""
        ...

    async def announce(self, ttl: float) -> None:
        """Count this instance among the live ones for the next ``ttl`` seconds."""
        ...

    async def leave(self) -> None:
        """Stop counting this instance among the live ones at once."""
        ...

    async def live_instances(self) -> list[str]:
        """The ids of the instances announced and not expired, sorted; CoordinationUnavailable
        when the backend cannot say."""
        ...

    async def publish(self, channel: str, payload: str) -> None:
        """Send ``payload`` to every subscriber of ``channel``, this instance's included."""
        ...

    async def subscribe(self, channel: str, handler: EventHandler) -> None:
        """Call ``handler`` with every event published on ``channel`` from now on."""
        ...

    async def close(self) -> None:
        """Stop listening for events and close connections (leases are left to expire)."""
        ...
