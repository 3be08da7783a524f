"""The sliding-window limiter, driven by the times it is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.domain.sliding_window import SlidingWindowLimiter

T0 = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_the_event_beyond_the_limit_waits_for_the_oldest_to_leave_the_window():
    limiter = SlidingWindowLimiter(5, 10 * MIN)
    assert [limiter.take("u", T0 + i * MIN) for i in range(5)] == [None] * 5
    assert limiter.take("u", T0 + 5 * MIN) == 5 * MIN  # T0's event leaves at T0 + 10
    assert limiter.take("u", T0 + 9 * MIN) == 1 * MIN  # a refused event is not counted
    assert limiter.take("u", T0 + 10 * MIN) is None  # T0's is gone: room for one
    assert limiter.take("u", T0 + 10 * MIN) == 1 * MIN  # T0 + 1's leaves at T0 + 11


def test_keys_are_counted_apart():
    limiter = SlidingWindowLimiter(1, MIN)
    assert limiter.take(1, T0) is None
    assert limiter.take(2, T0) is None
    assert limiter.take(1, T0) == MIN


def test_a_steady_pace_within_the_limit_is_never_refused():
    limiter = SlidingWindowLimiter(5, 10 * MIN)
    assert all(limiter.take("u", T0 + i * 2 * MIN) is None for i in range(100))


def test_idle_keys_are_swept_so_memory_follows_the_active_ones():
    limiter = SlidingWindowLimiter(5, MIN)
    for user in range(5000):
        limiter.take(user, T0 + user * timedelta(seconds=1))
    assert len(limiter) <= 2 * 1024  # not 5000: keys idle for a window were dropped
    assert limiter.take(4999, T0 + 4999 * timedelta(seconds=1)) is None  # still counted


@pytest.mark.parametrize(("limit", "window"), [(0, MIN), (1, timedelta(0))])
def test_a_limiter_needs_a_positive_limit_and_window(limit, window):
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit, window)
