"""What the admin dashboard needs of storage: login links, the shared signing key, outbox
figures, dead letters and each region's last stored update (adapters.sql.admin_dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message the sender gave up on."""

    id: int
    chat_id: int
    kind: str
    attempts: int
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxFigures:
    """Messages waiting (pending or being sent), the oldest one's creation, dead letters."""

    waiting: int
    oldest_waiting: datetime | None
    dead: int


class AdminDashboardStore(Protocol):
    """The shared state behind /admin, so that any instance serves it."""

    async def signing_key(self, now: datetime) -> str:
        """The session signing key every instance shares (made on first use)."""
        ...

    async def add_login(
        self, token_hash: str, telegram_id: int, expires_at: datetime, now: datetime
    ) -> None:
        """Store a login link's token hash until ``expires_at``; forget links expired by
        ``now``."""
        ...

    async def use_login(self, token_hash: str, now: datetime) -> int | None:
        """Mark a link used; its admin's id, or None when unknown, used or expired."""
        ...

    async def outbox_figures(self) -> OutboxFigures:
        """Waiting messages, the oldest one's age and the dead letters' count."""
        ...

    async def dead_letters(self, limit: int) -> list[DeadLetter]:
        """The newest dead letters."""
        ...

    async def retry_dead(self, message_id: int, now: datetime) -> bool:
        """Make a dead letter pending again; False when it is not dead."""
        ...

    async def drop_dead(self, message_id: int) -> bool:
        """Drop a dead letter; False when it is not dead."""
        ...

    async def monitor_count(self) -> int:
        """How many power monitors exist."""
        ...

    async def last_updates(self) -> dict[str, datetime]:
        """When each region's stored schedule last changed."""
        ...
