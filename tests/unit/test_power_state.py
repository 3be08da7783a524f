"""The power state machine as tables: a string of observations, the state and alerts it gives.

``+`` is an answer, ``-`` a miss; observations are 30 s apart from T0 unless a table says
otherwise, and the monitor's period is those 30 s. Default debounce: 3 misses for off,
2 answers for on, counted in a row across gaps of up to 10 periods.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.domain.power import (
    INITIAL,
    Debounce,
    Power,
    PowerState,
    Transition,
    heartbeat_misses,
    observe,
)

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)
DEBOUNCE = Debounce(off_after=3, on_after=2, gap_periods=10)


def at(i: int) -> datetime:
    return T0 + STEP * i


def run(
    pattern: str, state: PowerState = INITIAL, start: int = 0, debounce: Debounce = DEBOUNCE
) -> tuple[PowerState, list[Transition]]:
    transitions = []
    for i, mark in enumerate(pattern, start=start):
        state, transition = observe(state, mark == "+", at(i), debounce, period=STEP)
        if transition is not None:
            transitions.append(transition)
    return state, transitions


def summary(transitions: list[Transition]) -> list[tuple[str, int]]:
    """(new power, index of the observation it is dated at)."""
    return [(t.power.value, int((t.at - T0) / STEP)) for t in transitions]


@pytest.mark.parametrize(
    ("pattern", "power", "alerts"),
    [
        # cold start: adopted after k agreeing observations, never an alert
        ("+", Power.UNKNOWN, []),
        ("++", Power.ON, []),
        ("---", Power.OFF, []),
        ("-+-+-+", Power.UNKNOWN, []),
        ("--", Power.UNKNOWN, []),
        # on, then off confirmed by three misses in a row, dated at the first miss
        ("++---", Power.OFF, [("off", 2)]),
        ("++--", Power.ON, []),
        ("++--+--+", Power.ON, []),  # flapping misses never reach three in a row
        ("++-+-+-+-+", Power.ON, []),
        # off, then back: two answers in a row, dated at the first
        ("++---++", Power.ON, [("off", 2), ("on", 5)]),
        ("++---+-+-", Power.OFF, [("off", 2)]),  # single answers while off are noise
        ("++---+--++", Power.ON, [("off", 2), ("on", 8)]),
        # a cold start into off, then back: the only alert is the return
        ("---++", Power.ON, [("on", 3)]),
        # long alternation after a confirmed state
        ("+++---+++---", Power.OFF, [("off", 3), ("on", 6), ("off", 9)]),
    ],
)
def test_observation_tables(pattern: str, power: Power, alerts: list[tuple[str, int]]) -> None:
    state, transitions = run(pattern)
    assert state.power is power
    assert summary(transitions) == alerts


def test_off_transition_carries_how_long_power_was_on() -> None:
    state, _ = run("++")  # cold start at index 0 (not exact)
    state, transitions = run("---++---", state, start=2)
    # the first off follows a cold start: its "on since" is not exact, so no duration
    assert transitions[0].previous_lasted is None
    # back on at 5, off again at 7: on for two steps
    assert summary(transitions) == [("off", 2), ("on", 5), ("off", 7)]
    assert transitions[2].previous_lasted == 2 * STEP
    assert transitions[1].previous_lasted == 3 * STEP
    assert state.since == at(7)
    assert state.since_exact


def test_cold_start_dates_the_state_when_first_seen_but_not_exactly() -> None:
    state, _ = run("---")
    assert state == PowerState(Power.OFF, at(0), since_exact=False)


@pytest.mark.parametrize("split", [1, 2])
def test_restart_with_a_pending_change_neither_loses_nor_invents(split: int) -> None:
    """Stop after ``split`` misses, keep the stored state, go on: the same single alert."""
    on, _ = run("++")
    stored, before = run("-" * split, on, start=2)
    assert before == []
    assert stored.pending is Power.OFF and stored.pending_count == split
    resumed, after = run("-" * (3 - split) + "++", stored, start=2 + split)
    straight, expected = run("---++", on, start=2)
    assert summary(after) == summary(expected) == [("off", 2), ("on", 5)]
    assert resumed == straight


def test_restart_replaying_counted_observations_does_not_count_them_twice() -> None:
    on, _ = run("++")
    stored, _ = run("--", on, start=2)  # misses at 2 and 3 counted
    # a restarted watch feeds the same misses again, then one new one
    for i in (2, 3):
        replayed, transition = observe(stored, False, at(i), DEBOUNCE, period=STEP)
        assert replayed == stored and transition is None
    final, transition = observe(stored, False, at(4), DEBOUNCE, period=STEP)
    assert transition is not None and transition.at == at(2)
    assert final.power is Power.OFF


def test_a_pending_change_older_than_the_gap_starts_counting_again() -> None:
    on, _ = run("++")
    stored, _ = run("--", on, start=2)
    late = at(3) + STEP * DEBOUNCE.gap_periods + timedelta(seconds=1)
    state, transition = observe(stored, False, late, DEBOUNCE, period=STEP)
    assert transition is None
    assert state.pending_count == 1 and state.pending_since == late


@pytest.mark.parametrize(
    ("period_s", "gap_s", "counted_in_a_row"),
    [
        (30, 120, True),  # four periods: still in a row
        (30, 121, False),  # more than four: a pause, counting starts again
        (300, 300, True),  # a 5-minute heartbeat's misses, whatever the probe interval
        (300, 1200, True),
        (300, 1201, False),
        (30, 30, True),  # a 30 s heartbeat watched every 5 s: its period is 30 s, not 5
        (50, 50, True),  # probe cycles that run 50 s with a 5 s interval: the period is 50 s
    ],
)
def test_the_gap_rule_counts_the_monitors_own_periods(
    period_s: int, gap_s: int, counted_in_a_row: bool
) -> None:
    """Misses as far apart as the monitor's period never start counting again; only a
    pause of more than ``gap_periods`` periods does."""
    debounce = Debounce(off_after=3, on_after=2, gap_periods=4)
    period, gap = timedelta(seconds=period_s), timedelta(seconds=gap_s)
    on, _ = run("++")
    state, transitions = on, []
    for i in range(3):
        state, transition = observe(state, False, at(2) + gap * i, debounce, period=period)
        transitions += [transition] if transition else []
    if counted_in_a_row:
        assert [t.at for t in transitions] == [at(2)] and state.power is Power.OFF
    else:
        assert transitions == [] and state.pending_count == 1


def test_beats_a_long_period_apart_bring_power_back() -> None:
    """A 5-minute device's beats after an outage count in a row: "on" at the first one."""
    every = timedelta(minutes=5)
    debounce = Debounce(off_after=3, on_after=2, gap_periods=4)
    off, _ = run("++---")
    first = at(5) + every
    state, none = observe(off, True, first, debounce, period=every)
    state, back = observe(state, True, first + every, debounce, period=every)
    assert none is None and back is not None
    assert (back.power, back.at, state.power) == (Power.ON, first, Power.ON)


def test_an_agreeing_observation_clears_the_pending_change() -> None:
    on, _ = run("++")
    pending, _ = run("--", on, start=2)
    state, transition = observe(pending, True, at(4), DEBOUNCE, period=STEP)
    assert transition is None
    assert state == PowerState(Power.ON, on.since, on.since_exact)


def test_debounce_of_one_reacts_at_once() -> None:
    state, transitions = run("++-+", debounce=Debounce(off_after=1, on_after=1))
    assert summary(transitions) == [("off", 2), ("on", 3)]
    assert state.power is Power.ON


def test_debounce_rejects_zero() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Debounce(off_after=0)
    with pytest.raises(ValueError, match="at least 1"):
        Debounce(gap_periods=0)
    with pytest.raises(ValueError, match="period must be positive"):
        observe(INITIAL, True, T0, DEBOUNCE, period=timedelta(0))


EVERY = timedelta(seconds=60)


@pytest.mark.parametrize(
    ("beat", "checked", "now", "grace", "expected"),
    [
        (None, None, 600, 0, []),
        (0, None, 59, 0, []),  # next beat not due yet
        (0, None, 60, 0, [60]),
        (0, None, 60, 30, []),  # due, but still within the grace
        (0, None, 200, 30, [60, 120]),  # 180 + 30 > 200
        (0, 120, 200, 0, [180]),  # misses up to 120 were already counted
        (0, 130, 200, 0, [180]),
        (0, 10_000, 10_090, 0, [10_020, 10_080]),  # starts after checked, not from the beat
    ],
)
def test_heartbeat_misses(
    beat: int | None, checked: int | None, now: int, grace: int, expected: list[int]
) -> None:
    def t(seconds: int | None) -> datetime | None:
        return None if seconds is None else T0 + timedelta(seconds=seconds)

    now_at = T0 + timedelta(seconds=now)
    misses = heartbeat_misses(t(beat), t(checked), now_at, EVERY, grace=timedelta(seconds=grace))
    assert [int((m - T0).total_seconds()) for m in misses] == expected


def test_heartbeat_misses_are_bounded() -> None:
    misses = heartbeat_misses(T0, None, T0 + timedelta(days=30), EVERY, limit=3)
    assert len(misses) == 3 and misses[0] == T0 + EVERY
