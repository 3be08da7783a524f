"""The rest of a queue's monitors when one of them goes off ("only you, or the whole queue?").

The power watch asks once per transition; in a real outage a whole queue's monitors go off
in the same cycle, so a queue's monitors are read at most once per ``max_age`` and each
question is answered from that read (``domain.crowd.others_of``). A change pending to off
counts as off, so monitors going off together see each other. The per-user rows stay in
this process; only the verdict reaches a message, and only with enough other users.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from esvitlo.domain.crowd import MemberState, QueueOthers, others_of
from esvitlo.ports import Clock, CrowdStore

MAX_QUEUES = 4096
"""Queues remembered before the memory is cleared (a bound, not a cache policy)."""


class QueueOthersLookup:
    """The other users' monitors of a queue, each queue read at most once per ``max_age``."""

    def __init__(
        self, store: CrowdStore, clock: Clock, *, max_age: timedelta = timedelta(seconds=10)
    ) -> None:
        self._store = store
        self._clock = clock
        self._max_age = max_age
        self._read: dict[tuple[str, str], tuple[datetime, list[MemberState]]] = {}

    async def others(self, region: str, queue: str, user_id: int) -> QueueOthers:
        """The queue's monitors of users other than ``user_id``."""
        return others_of(await self._members(region, queue), user_id)

    async def everyone(self, region: str, queue: str) -> QueueOthers:
        """Every user's monitors of the queue (the public status page's crowd line)."""
        return others_of(await self._members(region, queue), None)

    async def _members(self, region: str, queue: str) -> list[MemberState]:
        now = self._clock.now()
        read = self._read.get((region, queue))
        if read is None or now - read[0] > self._max_age:
            if len(self._read) >= MAX_QUEUES:
                self._read.clear()
            read = (now, await self._store.members(region, queue))
            self._read[region, queue] = read
        return read[1]
