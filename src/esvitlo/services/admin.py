"""Operator actions: statistics, broadcasts through the outbox, pause mode."""

from __future__ import annotations

from datetime import datetime

from esvitlo.domain.accounts import AdminStats
from esvitlo.ports import AdminQueries, AppFlags, Outbox
from esvitlo.services.cluster_events import ClusterEvents

PAUSE_FLAG = "pause_message"


class AdminService:
    """What only configured admins may do."""

    def __init__(
        self,
        admin_ids: frozenset[int],
        queries: AdminQueries,
        outbox: Outbox,
        flags: AppFlags,
        *,
        events: ClusterEvents | None = None,
    ) -> None:
        self._events = events
        self._admins = admin_ids
        self._queries = queries
        self._outbox = outbox
        self._flags = flags

    def is_admin(self, telegram_id: int) -> bool:
        """True only for the configured admin ids."""
        return telegram_id in self._admins

    async def stats(self) -> AdminStats:
        """Users, subscriptions per region, channels and pending outbox messages."""
        return await self._queries.stats()

    async def broadcast(self, text: str, now: datetime) -> int:
        """Enqueue one message per active user for the delivery pipeline; the row count."""
        return await self._outbox.enqueue_broadcast(text, now)

    async def pause_message(self) -> str | None:
        """The message users get while the bot is paused, or None when it is not."""
        return await self._flags.get(PAUSE_FLAG)

    async def set_pause(self, message: str | None) -> None:
        """Pause the bot with a message for users, or resume it with None."""
        await self._flags.set(PAUSE_FLAG, message)
        if self._events is not None:
            await self._events.pause_changed()
