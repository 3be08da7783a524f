"""How far a snapshot can be trusted at a given moment, and why not when it cannot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

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


class StaleReason(StrEnum):
    """Why data is stale; the schedule screen names it, since each asks a different doubt.

    ``FETCH``: our latest fetch failed, or the feed's last successful scrape is old (we may
    not be following the operator). ``OPERATOR``: the fetch is fine, but the operator's own
    update time is old (the operator may not be updating).
    """

    FETCH = "fetch"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Freshness:
    """A snapshot's status and, when stale, the reason."""

    status: DataStatus
    reason: StaleReason | None = None


def judge(
    snapshot: RegionSnapshot,
    now: datetime,
    policy: FreshnessPolicy = FreshnessPolicy(),
    *,
    fetch_failed: bool = False,
) -> Freshness:
    """Fresh, stale (with the reason) or source error, as of ``now``.

    ``fetch_failed`` says the latest attempt to fetch failed and this is the last good copy.
    A fetch problem comes first: while we do not follow the feed, the operator's time says
    nothing about the operator.
    """
    if not snapshot.source_ok:
        return Freshness(DataStatus.SOURCE_ERROR)
    if fetch_failed or (snapshot.fetched_at and now - snapshot.fetched_at > policy.max_fetch_age):
        return Freshness(DataStatus.STALE, StaleReason.FETCH)
    if snapshot.data_updated_at and now - snapshot.data_updated_at > policy.max_data_age:
        return Freshness(DataStatus.STALE, StaleReason.OPERATOR)
    return Freshness(DataStatus.FRESH)


def assess(
    snapshot: RegionSnapshot,
    now: datetime,
    policy: FreshnessPolicy = FreshnessPolicy(),
    *,
    fetch_failed: bool = False,
) -> DataStatus:
    """Fresh, stale or source error, as of ``now`` (:func:`judge` without the reason)."""
    return judge(snapshot, now, policy, fetch_failed=fetch_failed).status
