"""A small circuit breaker driven by an explicit clock, for one schedule source.

Closed: calls pass and consecutive failures are counted; ``failure_threshold`` of them in a
row open the breaker. Open: calls are refused until ``reset_after`` has passed, then one
trial call is let through (half-open). A successful trial closes the breaker, a failed one
opens it again for another ``reset_after``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class BreakerState(StrEnum):
    """Where a circuit breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Refuses calls to a failing dependency for a while; time is always passed in."""

    def __init__(
        self, failure_threshold: int = 3, reset_after: timedelta = timedelta(minutes=10)
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if reset_after <= timedelta(0):
            raise ValueError(f"reset_after must be positive, got {reset_after}")
        self._threshold = failure_threshold
        self._reset_after = reset_after
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_at: datetime | None = None

    @property
    def state(self) -> BreakerState:
        """The state as of the last call; an open breaker turns half-open only in ``allow``."""
        return self._state

    @property
    def failures(self) -> int:
        """Consecutive failures counted since the last success."""
        return self._failures

    @property
    def opened_at(self) -> datetime | None:
        """When the breaker last opened, or None while it is closed."""
        return self._opened_at

    def allow(self, now: datetime) -> bool:
        """Whether a call may go ahead at ``now``; an allowed call after the pause is the trial.

        While a trial is out, further calls are refused; a trial whose outcome was never
        recorded (for example a cancelled call) is given up after another ``reset_after``.
        """
        if self._state is BreakerState.CLOSED:
            return True
        if self._state is BreakerState.OPEN:
            assert self._opened_at is not None
            if now - self._opened_at < self._reset_after:
                return False
        elif self._trial_at is not None and now - self._trial_at < self._reset_after:
            return False
        self._state = BreakerState.HALF_OPEN
        self._trial_at = now
        return True

    def record_success(self) -> None:
        """A call succeeded: close the breaker and forget earlier failures."""
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = None
        self._trial_at = None

    def record_failure(self, now: datetime) -> None:
        """A call failed at ``now``: count it, and open the breaker at the threshold or trial."""
        self._failures += 1
        if self._state is BreakerState.HALF_OPEN or self._failures >= self._threshold:
            self._state = BreakerState.OPEN
            self._opened_at = now
            self._trial_at = None
