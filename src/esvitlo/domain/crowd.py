"""The crowd signal: what the live monitors of one queue say together, and when that is news.

Every monitor sits on an address, so in a (region, queue). Counted per queue by distinct
users (one home with three monitors is one voice), the monitors tell whether the queue has
power before any operator does. Nothing about a queue is shown or sent unless at least
``min_users`` (never fewer than 3) distinct users' monitors know their power, and nothing
names a user or an address.

An *episode* is one unscheduled outage the crowd saw: while the schedule says power is on,
at least ``off_share`` (and at least ``min_users``) of the queue's users' monitors went off
within ``fresh``; it is believed only after it held for ``confirm`` (so a brownout or a
flapping minority never alerts), and it ends when most are back for ``confirm`` as well.
A *planned* episode is the crowd off during a scheduled outage: when most come back (for
``confirm``) more than ``plan_margin`` before or after the scheduled end, that is told.
The episode's state is a value the caller stores, so a restart or a new leader continues
it instead of alerting again; its ``started_at`` names it in the alerts' keys.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from esvitlo.domain.power import Power

MIN_USERS_FLOOR = 3
"""The privacy floor: no setting may show a queue with fewer users' monitors than this."""


@dataclass(frozen=True, slots=True)
class CrowdCount:
    """One queue's monitors counted by distinct users, from one aggregation pass.

    ``known`` users have a monitor that is on or off; ``on`` and ``off`` count users with a
    monitor in that state (a user with monitors disagreeing counts in both); ``fresh_off``
    those whose monitor went off recently; ``since`` the newest change among known monitors.
    """

    region: str
    queue: str
    users: int
    known: int
    on: int
    off: int
    fresh_off: int = 0
    since: datetime | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.region, self.queue


@dataclass(frozen=True, slots=True)
class CrowdRules:
    """The thresholds of the crowd signal (settings)."""

    min_users: int = MIN_USERS_FLOOR
    off_share: float = 0.5
    back_share: float = 0.5
    confirm: timedelta = timedelta(minutes=2)
    fresh: timedelta = timedelta(minutes=10)
    max_episode: timedelta = timedelta(hours=24)
    plan_margin: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.min_users < MIN_USERS_FLOOR:
            raise ValueError(f"min_users must be at least {MIN_USERS_FLOOR} (privacy)")
        if not (0 < self.off_share <= 1 and 0 < self.back_share <= 1):
            raise ValueError("off_share and back_share must be in (0, 1]")

    def visible(self, known: int) -> bool:
        """Whether a queue with ``known`` users' monitors may be shown or told of at all."""
        return known >= self.min_users

    def off_needed(self, known: int) -> int:
        """Users' monitors that must be off to call the queue off."""
        return max(self.min_users, math.ceil(self.off_share * known))

    def is_off(self, count: CrowdCount, *, fresh: bool = False) -> bool:
        """Whether enough of the queue is off (``fresh``: went off within ``fresh``)."""
        off = count.fresh_off if fresh else count.off
        return self.visible(count.known) and off >= self.off_needed(count.known)

    def is_back(self, count: CrowdCount) -> bool:
        """Whether most of the queue has power again."""
        enough_on = count.on >= math.ceil(self.back_share * count.known)
        return self.visible(count.known) and enough_on and count.off < self.off_needed(count.known)


class CrowdStatus(StrEnum):
    """Where a queue's episode stands."""

    QUIET = "quiet"
    SUSPECT = "suspect"  # an off-wave is being confirmed
    OUTAGE = "outage"  # confirmed and told
    RECOVERING = "recovering"  # most are back, being confirmed
    PLANNED = "planned"  # off in a scheduled outage
    PLANNED_RECOVERING = "planned_recovering"  # most are back from it, being confirmed


class CrowdEdge(StrEnum):
    """What subscribers are told: an unscheduled outage is likely, or power is back."""

    OUTAGE = "outage"
    BACK = "back"
    EARLY = "early"  # back more than plan_margin before the scheduled end
    LATE = "late"  # back more than plan_margin after it

    @property
    def about_plan(self) -> bool:
        """Whether this edge compares the crowd with the schedule (told on request only)."""
        return self in (CrowdEdge.EARLY, CrowdEdge.LATE)


@dataclass(frozen=True, slots=True)
class Episode:
    """A queue's episode state: its status, since when, when the episode began, and (planned
    episodes) when the scheduled outage ends."""

    status: CrowdStatus = CrowdStatus.QUIET
    since: datetime | None = None
    started_at: datetime | None = None
    planned_end: datetime | None = None


QUIET = Episode()


def step(
    episode: Episode,
    count: CrowdCount | None,
    schedule_on: bool,
    now: datetime,
    rules: CrowdRules,
    *,
    planned_end: datetime | None = None,
) -> tuple[Episode, CrowdEdge | None]:
    """The episode after one pass at ``now``, and what to tell, if anything.

    ``count`` is None when the queue has no monitors left; ``schedule_on`` whether the
    queue's schedule says power is on now (False when it is unknown or an emergency);
    ``planned_end`` the end of the scheduled outage in progress, when one is.
    """
    status = episode.status
    if status is CrowdStatus.QUIET:
        if count is not None and schedule_on and rules.is_off(count, fresh=True):
            return _suspect(now, rules)
        if count is not None and planned_end is not None and rules.is_off(count):
            return Episode(CrowdStatus.PLANNED, now, now, planned_end), None
        return episode, None
    if status is CrowdStatus.SUSPECT:
        if count is None or not schedule_on or not rules.is_off(count):
            return QUIET, None
        if now - (episode.since or now) >= rules.confirm:
            return Episode(CrowdStatus.OUTAGE, now, episode.started_at), CrowdEdge.OUTAGE
        return episode, None
    started = episode.started_at or now
    if now - started >= rules.max_episode:
        return QUIET, None  # never told back: the crowd went quiet or away; end silently
    back = count is not None and rules.is_back(count)
    if status in (CrowdStatus.PLANNED, CrowdStatus.PLANNED_RECOVERING):
        return _planned_step(episode, back, now, rules)
    if status is CrowdStatus.OUTAGE:
        return (Episode(CrowdStatus.RECOVERING, now, started), None) if back else (episode, None)
    if not back:
        return Episode(CrowdStatus.OUTAGE, now, started), None
    if now - (episode.since or now) >= rules.confirm:
        return QUIET, CrowdEdge.BACK
    return episode, None


def _planned_step(
    episode: Episode, back: bool, now: datetime, rules: CrowdRules
) -> tuple[Episode, CrowdEdge | None]:
    """A planned episode: confirm the crowd's return, then compare it with the schedule."""
    if episode.status is CrowdStatus.PLANNED:
        if not back:
            return episode, None
        return Episode(
            CrowdStatus.PLANNED_RECOVERING, now, episode.started_at, episode.planned_end
        ), None
    if not back:
        return Episode(CrowdStatus.PLANNED, now, episode.started_at, episode.planned_end), None
    back_at = episode.since or now
    if now - back_at < rules.confirm:
        return episode, None
    return QUIET, plan_edge(back_at, episode.planned_end, rules)


def plan_edge(
    back_at: datetime, planned_end: datetime | None, rules: CrowdRules
) -> CrowdEdge | None:
    """Early or late when the crowd came back more than ``plan_margin`` off the plan."""
    if planned_end is None:
        return None
    if back_at < planned_end - rules.plan_margin:
        return CrowdEdge.EARLY
    if back_at > planned_end + rules.plan_margin:
        return CrowdEdge.LATE
    return None


def _suspect(now: datetime, rules: CrowdRules) -> tuple[Episode, CrowdEdge | None]:
    if rules.confirm <= timedelta(0):
        return Episode(CrowdStatus.OUTAGE, now, now), CrowdEdge.OUTAGE
    return Episode(CrowdStatus.SUSPECT, now, now), None


@dataclass(frozen=True, slots=True)
class QueueOthers:
    """The other users' monitors of a queue when one user's own monitor changes."""

    known: int
    on: int
    off: int  # off, or going off (a change pending)


@dataclass(frozen=True, slots=True)
class MemberState:
    """One monitor of a queue as the "only you?" question needs it: whose, and its power
    with the change it is confirming (read inside the process, never shown)."""

    user_id: int
    power: Power
    pending: Power | None = None


def others_of(members: Sequence[MemberState], user_id: int | None) -> QueueOthers:
    """The queue's other users, counted once each: known (on or off), on (and not going
    off), off or going off (so monitors going off together see each other); ``user_id``
    None counts everyone."""
    known: set[int] = set()
    on: set[int] = set()
    off: set[int] = set()
    for member in members:
        if member.user_id == user_id or member.power is Power.UNKNOWN:
            continue
        known.add(member.user_id)
        if member.power is Power.OFF or member.pending is Power.OFF:
            off.add(member.user_id)
        else:
            on.add(member.user_id)
    return QueueOthers(len(known), len(on), len(off))


class OthersVerdict(StrEnum):
    """What the rest of the queue says when a user's own monitor goes off."""

    QUEUE_OFF = "queue_off"
    ONLY_YOU = "only_you"


def others_verdict(others: QueueOthers | None, rules: CrowdRules) -> OthersVerdict | None:
    """Whether the whole queue is off or only this home; None when too few others to say."""
    if others is None or not rules.visible(others.known):
        return None
    if others.off >= rules.off_needed(others.known):
        return OthersVerdict.QUEUE_OFF
    if others.on > others.off:
        return OthersVerdict.ONLY_YOU
    return None
