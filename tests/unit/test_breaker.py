"""Circuit breaker: tables of (events, expected state and answers) with an explicit clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.services.breaker import BreakerState, CircuitBreaker

T0 = datetime(2025, 11, 9, 7, 0, tzinfo=UTC)
RESET = timedelta(seconds=60)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def play(breaker: CircuitBreaker, events: list[tuple[str, float]]) -> list[bool]:
    """Apply ("fail"|"ok"|"allow", t) events; return the answers of the allow events."""
    answers: list[bool] = []
    for event, t in events:
        if event == "fail":
            breaker.record_failure(at(t))
        elif event == "ok":
            breaker.record_success()
        else:
            answers.append(breaker.allow(at(t)))
    return answers


@pytest.mark.parametrize(
    ("threshold", "events", "answers", "state"),
    [
        pytest.param(3, [("allow", 0)], [True], BreakerState.CLOSED, id="new-is-closed"),
        pytest.param(
            3,
            [("fail", 0), ("fail", 1), ("allow", 2)],
            [True],
            BreakerState.CLOSED,
            id="below-threshold-stays-closed",
        ),
        pytest.param(
            3,
            [("fail", 0), ("fail", 1), ("fail", 2), ("allow", 3)],
            [False],
            BreakerState.OPEN,
            id="threshold-opens",
        ),
        pytest.param(
            3,
            [("fail", 0), ("fail", 1), ("ok", 2), ("fail", 3), ("fail", 4), ("allow", 5)],
            [True],
            BreakerState.CLOSED,
            id="success-resets-count",
        ),
        pytest.param(
            1, [("fail", 0), ("allow", 59.9)], [False], BreakerState.OPEN, id="open-before-reset"
        ),
        pytest.param(
            1,
            [("fail", 0), ("allow", 60)],
            [True],
            BreakerState.HALF_OPEN,
            id="reset-elapsed-allows-trial",
        ),
        pytest.param(
            1,
            [("fail", 0), ("allow", 61), ("allow", 62), ("allow", 100)],
            [True, False, False],
            BreakerState.HALF_OPEN,
            id="only-one-trial",
        ),
        pytest.param(
            1,
            [("fail", 0), ("allow", 61), ("ok", 62), ("allow", 63), ("allow", 64)],
            [True, True, True],
            BreakerState.CLOSED,
            id="good-trial-closes",
        ),
        pytest.param(
            3,
            [("fail", 0), ("fail", 0), ("fail", 0), ("allow", 61), ("fail", 62), ("allow", 63)],
            [True, False],
            BreakerState.OPEN,
            id="failed-trial-reopens-at-once",
        ),
        pytest.param(
            1,
            [("fail", 0), ("allow", 61), ("fail", 62), ("allow", 121), ("allow", 122)],
            [True, False, True],
            BreakerState.HALF_OPEN,
            id="reopened-waits-a-full-reset",
        ),
        pytest.param(
            1,
            [("fail", 0), ("allow", 61), ("allow", 120), ("allow", 121)],
            [True, False, True],
            BreakerState.HALF_OPEN,
            id="lost-trial-is-given-up-after-reset",
        ),
    ],
)
def test_breaker_table(
    threshold: int, events: list[tuple[str, float]], answers: list[bool], state: BreakerState
) -> None:
    breaker = CircuitBreaker(threshold, RESET)
    assert play(breaker, events) == answers
    assert breaker.state is state


def test_opened_at_and_failures_follow_events() -> None:
    breaker = CircuitBreaker(2, RESET)
    play(breaker, [("fail", 0), ("fail", 5)])
    assert (breaker.opened_at, breaker.failures) == (at(5), 2)
    breaker.record_success()
    assert (breaker.opened_at, breaker.failures) == (None, 0)


@pytest.mark.parametrize(
    ("threshold", "reset"),
    [(0, RESET), (-1, RESET), (1, timedelta(0)), (1, timedelta(seconds=-1))],
)
def test_rejects_bad_settings(threshold: int, reset: timedelta) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(threshold, reset)
