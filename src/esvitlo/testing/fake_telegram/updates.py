"""The bot's update queue: offsets, allowed_updates, long polling and the poller conflict."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from .errors import POLL_CONFLICT, conflict

NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
FIRST_UPDATE_ID = 100_000_001


@dataclass(frozen=True)
class Update:
    """One update waiting to be fetched or pushed."""

    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The ``Update`` object: its id and one field named after its kind."""
        return {"update_id": self.update_id, self.kind: self.payload}


class UpdateQueue:
    """Holds unconfirmed updates; a newer getUpdates ends an older pending one with a 409."""

    def __init__(self) -> None:
        self._pending: list[Update] = []
        self._next_id = FIRST_UPDATE_ID
        self._changed = asyncio.Event()
        self._generation = 0
        self._closed = False
        self.allowed: frozenset[str] | None = None
        self.dropped: list[Update] = []

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def allows(self, kind: str) -> bool:
        """Whether updates of ``kind`` are delivered under the current allowed_updates."""
        if self.allowed is None:
            return kind not in NOT_BY_DEFAULT
        return kind in self.allowed

    def set_allowed(self, kinds: list[str] | None) -> None:
        """Remembers allowed_updates; an empty list means the default set, None keeps it."""
        if kinds is None:
            return
        self.allowed = frozenset(kinds) if kinds else None

    def push(self, kind: str, payload: dict[str, Any]) -> Update:
        """Queues an update (kept in ``dropped`` instead when its kind is not allowed)."""
        update = Update(self._next_id, kind, payload)
        self._next_id += 1
        if not self.allows(kind):
            self.dropped.append(update)
            return update
        self._pending.append(update)
        self._notify()
        return update

    def confirm(self, offset: int) -> None:
        """Forgets updates below ``offset``; a negative offset keeps only the last ``-offset``."""
        if offset < 0:
            del self._pending[: max(0, len(self._pending) + offset)]
        else:
            self._pending = [u for u in self._pending if u.update_id >= offset]

    def pending(self) -> list[Update]:
        """The unconfirmed updates, oldest first."""
        return list(self._pending)

    def clear(self) -> None:
        """Drops every pending update (drop_pending_updates)."""
        self._pending.clear()

    def close(self) -> None:
        """Wakes every waiting poller; they answer with what they have."""
        self._closed = True
        self._notify()

    def reopen(self) -> None:
        """Lets polls wait again after ``close`` (the server was restarted)."""
        self._closed = False

    async def wait_for_updates(self, seconds: float) -> bool:
        """Waits up to ``seconds`` until an update is pending; tells whether one is."""
        if not self._pending and not self._closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), seconds)
        return bool(self._pending)

    async def poll(
        self, offset: int | None, limit: int, wait: float, allowed: list[str] | None
    ) -> list[Update]:
        """getUpdates: confirms by offset, then answers at once or when an update arrives."""
        self._generation += 1
        generation = self._generation
        self._notify()
        self.set_allowed(allowed)
        if offset is not None:
            self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            ready = [u for u in self._pending if self.allows(u.kind)][:limit]
            remaining = deadline - loop.time()
            if ready or self._closed or remaining <= 0:
                return ready
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
            if generation != self._generation:
                raise conflict(POLL_CONFLICT)
