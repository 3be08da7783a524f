"""What the calendars and the JSON API read: stored days with their revisions, the private
calendar links (kept as hashes), and a monitor's state by its secret."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from esvitlo.domain.api_views import MonitorStatus
from esvitlo.domain.calendar_feed import PrivateFeedData, StoredDay


class ScheduleArchive(Protocol):
    """The stored days of every queue of a region (shared storage: any instance reads them)."""

    async def region_days(self, region: str) -> Mapping[str, Sequence[StoredDay]] | None:
        """Each stored queue's days in date order (a queue may have none), or None when the
        region was never stored."""
        ...


class CalendarLinks(Protocol):
    """Private calendar links: one per user at most, found by the SHA-256 of its secret."""

    async def replace(self, user_id: int, secret_hash: str) -> None:
        """Make ``secret_hash`` the user's only link (the old one stops working)."""
        ...

    async def revoke(self, user_id: int) -> bool:
        """Drop the user's link; False when there was none."""
        ...

    async def has_link(self, user_id: int) -> bool:
        """Whether the user has a link now."""
        ...

    async def feed_data(self, secret_hash: str, days: int) -> PrivateFeedData | None:
        """What the link's calendar shows: the owner's addresses and the outages their
        monitors measured in the last ``days`` days; None for an unknown link."""
        ...


class MonitorStates(Protocol):
    """A monitor's current state, found by the SHA-256 of its secret."""

    async def by_secret(self, secret_hash: str) -> MonitorStatus | None:
        """The monitor whose secret hashes to ``secret_hash``, or None."""
        ...
