"""The crowd signal's storage: per-queue counts of every instance's monitors, episodes, alerts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

from esvitlo.domain.crowd import CrowdCount, Episode, MemberState
from esvitlo.domain.crowd_render import EpisodeMove
from esvitlo.domain.plan_fact import QueueHistory


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


class CrowdHistory(Protocol):
    """The queues' monitors with their stored outages, for plan versus fact."""

    def histories(
        self, since: datetime, until: datetime, min_users: int, region: str | None = None
    ) -> AsyncIterator[QueueHistory]:
        """Every queue (of ``region``, or all) with at least ``min_users`` distinct users'
        monitors made before ``until``, one at a time in (region, queue) order: each
        monitor's owner, creation and the outages overlapping ``[since, until)``."""
        ...
