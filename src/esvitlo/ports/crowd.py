"""The crowd signal's storage: per-queue counts of every instance's monitors, episodes, alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from esvitlo.domain.crowd import CrowdCount, Episode, MemberState
from esvitlo.domain.crowd_render import EpisodeMove


class CrowdStore(Protocol):
    """Reads the shared monitor state by queue; keeps episodes and queues their alerts."""

    async def counts(self, fresh_since: datetime) -> list[CrowdCount]:
        """Every queue with monitors, counted by distinct users (``fresh_off``: went off at or
        after ``fresh_since``); one aggregation over all monitors, whoever watches them."""
        ...

    async def members(self, region: str, queue: str) -> list[MemberState]:
        """Every monitor of the queue: its owner's id, power and pending change."""
        ...

    async def episodes(self) -> dict[tuple[str, str], Episode]:
        """The stored episodes of queues that are not quiet, by (region, queue)."""
        ...

    async def save(self, moves: Sequence[EpisodeMove]) -> int:
        """Store the queues' moved episodes and queue their alerts to each queue's opted-in
        subscribers and linked channels, all in one transaction; how many messages were
        queued (a key already queued adds nothing)."""
        ...
