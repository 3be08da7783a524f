"""How far a snapshot can be trusted at a given moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from esvitlo.domain.model import DataStatus, RegionSnapshot


@dataclass(frozen=True, slots=True)
class FreshnessPolicy:
    """Ages after which data counts as stale.

    ``max_fetch_age`` bounds the age of the feed's last successful scrape (a feed that stopped
    scraping no longer follows its upstream); ``max_data_age`` bounds the upstream's own
    "updated at" (a schedule nobody touched for two days is suspect).
    """

    max_fetch_age: timedelta = timedelta(hours=3)
    max_data_age: timedelta = timedelta(hours=48)


def assess(
    snapshot: RegionSnapshot,
    now: datetime,
    policy: FreshnessPolicy = FreshnessPolicy(),
    *,
    fetch_failed: bool = False,
) -> DataStatus:
    """Fresh, stale or source error, as of ``now``.

    ``fetch_failed`` says the latest attempt to fetch failed and this is the last good copy.
    """
    if not snapshot.source_ok:
        return DataStatus.SOURCE_ERROR
    if fetch_failed:
        return DataStatus.STALE
    if snapshot.fetched_at and now - snapshot.fetched_at > policy.max_fetch_age:
        return DataStatus.STALE
    if snapshot.data_updated_at and now - snapshot.data_updated_at > policy.max_data_age:
        return DataStatus.STALE
    return DataStatus.FRESH
