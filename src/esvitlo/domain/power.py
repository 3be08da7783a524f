"""Whether a home has power, from probes and heartbeats: a debounced state machine.

A monitor is ``unknown`` until ``k`` observations in a row agree (a cold start never alerts);
after that a change needs ``off_after`` misses in a row to become ``off`` and ``on_after``
answers in a row to become ``on``. The change is dated at the first observation that saw
it. The whole state, pending change included, is a value the caller stores, so a restart
neither loses nor invents a transition. Observations older than the last counted one are
ignored (a replay after a restart), and a pending change whose last observation is more than
``gap_periods`` of the monitor's periods old starts counting again. The period is how far
apart the monitor's observations come (its heartbeat period, or the probe cycle as it really
runs), given with each observation: a fixed time would reset the count forever for a
heartbeat beating less often, or a probe cycle running longer, than that time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


class Power(StrEnum):
    """What a monitor says about the home's power."""

    UNKNOWN = "unknown"
    ON = "on"
    OFF = "off"


@dataclass(frozen=True, slots=True)
class Debounce:
    """How many agreeing observations in a row confirm a change, and how many of the
    monitor's periods may pass between two observations still counted in a row."""

    off_after: int = 3
    on_after: int = 2
    gap_periods: int = 4

    def __post_init__(self) -> None:
        if self.off_after < 1 or self.on_after < 1 or self.gap_periods < 1:
            raise ValueError("off_after, on_after and gap_periods must be at least 1")

    def needed(self, power: Power) -> int:
        """Observations in a row that confirm ``power``."""
        return self.off_after if power is Power.OFF else self.on_after


@dataclass(frozen=True, slots=True)
class PowerState:
    """A monitor's confirmed power and the change it is confirming, if any.

    ``since`` is when the confirmed state began (the first observation that saw it);
    ``since_exact`` is False when the state was adopted at a cold start, so ``since`` is only
    when we first looked. ``pending_last`` is the newest observation counted for ``pending``.
    """

    power: Power = Power.UNKNOWN
    since: datetime | None = None
    since_exact: bool = False
    pending: Power | None = None
    pending_since: datetime | None = None
    pending_last: datetime | None = None
    pending_count: int = 0


@dataclass(frozen=True, slots=True)
class Transition:
    """A confirmed change from one known state to the other."""

    power: Power
    at: datetime
    previous_since: datetime | None

    @property
    def previous_lasted(self) -> timedelta | None:
        """How long the previous state lasted, when its start is known."""
        if self.previous_since is None:
            return None
        return self.at - self.previous_since


INITIAL = PowerState()


def observe(
    state: PowerState, answered: bool, at: datetime, debounce: Debounce, *, period: timedelta
) -> tuple[PowerState, Transition | None]:
    """The state after one observation at ``at``, and the transition it confirmed, if any.

    ``period`` is how far apart the monitor's observations are expected to come.
    """
    if period <= timedelta(0):
        raise ValueError("period must be positive")
    seen = Power.ON if answered else Power.OFF
    if state.pending_last is not None and at <= state.pending_last:
        return state, None  # already counted (a replay) or out of order
    if seen is state.power:
        if state.pending is None:
            return state, None
        return _settled(state), None
    if state.pending is seen and not _gap_too_long(state, at, debounce.gap_periods * period):
        count = state.pending_count + 1
        pending = replace(state, pending_last=at, pending_count=count)
    else:
        count = 1
        pending = replace(state, pending=seen, pending_since=at, pending_last=at, pending_count=1)
    if count < debounce.needed(seen):
        return pending, None
    return _confirm(state, seen, pending.pending_since or at)


def _gap_too_long(state: PowerState, at: datetime, max_gap: timedelta) -> bool:
    return state.pending_last is not None and at - state.pending_last > max_gap


def _settled(state: PowerState) -> PowerState:
    """The confirmed state with the pending change dropped."""
    return PowerState(state.power, state.since, state.since_exact)


def _confirm(state: PowerState, power: Power, at: datetime) -> tuple[PowerState, Transition | None]:
    if state.power is Power.UNKNOWN:  # cold start: adopt silently
        return PowerState(power, at, since_exact=False), None
    previous = state.since if state.since_exact else None
    return PowerState(power, at, since_exact=True), Transition(power, at, previous)


def heartbeat_misses(
    last_beat: datetime | None,
    checked_until: datetime | None,
    now: datetime,
    every: timedelta,
    *,
    grace: timedelta = timedelta(0),
    limit: int = 10,
) -> list[datetime]:
    """The expected beats that did not come, after ``checked_until`` and up to ``now``.

    A device beating every ``every`` owes its next beat one period after the last; each
    period without one (``grace`` allowed for a late beat) is a miss dated when the beat was
    due. Without any beat there is nothing to miss yet (the monitor stays unknown). At most
    ``limit`` misses are returned, the earliest first.
    """
    if last_beat is None or every <= timedelta(0):
        return []
    periods = 1
    if checked_until is not None and checked_until >= last_beat + every:
        periods = (checked_until - last_beat) // every + 1
    misses: list[datetime] = []
    due = last_beat + every * periods
    while due + grace <= now and len(misses) < limit:
        misses.append(due)
        due += every
    return misses
