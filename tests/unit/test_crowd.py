"""The crowd signal's decisions: privacy, the off-wave, confirmation, one alert per episode,
and a flapping third that never alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.domain.crowd import (
    CrowdCount,
    CrowdEdge,
    CrowdRules,
    CrowdStatus,
    Episode,
    OthersVerdict,
    QueueOthers,
    others_verdict,
    step,
)

T0 = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
RULES = CrowdRules(confirm=timedelta(minutes=2))


def count(known: int, off: int, *, fresh_off: int | None = None) -> CrowdCount:
    fresh = off if fresh_off is None else fresh_off
    return CrowdCount("kyiv", "3.1", known, known, known - off, off, fresh)


def test_privacy_floor_cannot_be_configured_away():
    with pytest.raises(ValueError):
        CrowdRules(min_users=2)


@pytest.mark.parametrize(
    ("known", "off", "fresh_off", "schedule_on", "suspects"),
    [
        (2, 2, 2, True, False),  # fewer than 3 users: nothing at all
        (3, 3, 3, True, True),  # 3 of 3
        (50, 25, 25, True, True),  # half
        (50, 24, 24, True, False),  # less than half
        (50, 30, 30, False, False),  # the schedule says off: planned
        (50, 30, 2, True, False),  # off for long, not a fresh wave (a late restoration)
        (4, 2, 2, True, False),  # half, but fewer than 3
    ],
)
def test_an_off_wave_is_suspected_only_when_visible_fresh_and_unscheduled(
    known, off, fresh_off, schedule_on, suspects
):
    moved, edge = step(Episode(), count(known, off, fresh_off=fresh_off), schedule_on, T0, RULES)
    assert edge is None
    assert (moved.status is CrowdStatus.SUSPECT) is suspects


def _run(counts: list[CrowdCount], *, every: timedelta = timedelta(seconds=30)):
    episode, edges = Episode(), []
    for n, item in enumerate(counts):
        episode, edge = step(episode, item, True, T0 + every * n, RULES)
        if edge is not None:
            edges.append((n, edge))
    return episode, edges


def test_one_outage_alert_after_the_confirmation_window_then_one_back_alert():
    off = [count(50, 30)] * 20
    back = [count(50, 2, fresh_off=0)] * 20
    episode, edges = _run(off + back)
    assert edges == [(4, CrowdEdge.OUTAGE), (24, CrowdEdge.BACK)]
    assert episode.status is CrowdStatus.QUIET


def test_a_brownout_shorter_than_the_window_never_alerts():
    episode, edges = _run([count(50, 30)] * 3 + [count(50, 1)] * 10)
    assert edges == []
    assert episode.status is CrowdStatus.QUIET


def test_a_flapping_third_of_the_monitors_never_alerts():
    flapping = [count(30, 10 if n % 2 else 0) for n in range(200)]
    assert _run(flapping) == (Episode(), [])


def test_coming_back_briefly_during_an_outage_does_not_end_it():
    off, blip = [count(50, 30)] * 6, [count(50, 3)] * 2
    _, edges = _run(off + blip + off)
    assert edges == [(4, CrowdEdge.OUTAGE)]


def test_the_episode_keeps_its_start_through_recovery_and_a_stored_state_resumes_it():
    started = Episode(CrowdStatus.OUTAGE, T0, T0 - timedelta(minutes=5))
    moved, edge = step(started, count(50, 1), True, T0 + timedelta(minutes=1), RULES)
    assert (moved.status, moved.started_at, edge) == (
        CrowdStatus.RECOVERING,
        started.started_at,
        None,
    )
    again, edge = step(started, count(50, 30), True, T0 + timedelta(minutes=1), RULES)
    assert (again, edge) == (started, None)  # resumed: no second outage alert


def test_an_episode_without_a_crowd_ends_silently_after_a_day():
    started = Episode(CrowdStatus.OUTAGE, T0, T0)
    assert step(started, None, True, T0 + timedelta(hours=24), RULES) == (Episode(), None)


@pytest.mark.parametrize(
    ("others", "verdict"),
    [
        (None, None),
        (QueueOthers(known=2, on=0, off=2), None),  # too few others: say nothing
        (QueueOthers(known=5, on=1, off=4), OthersVerdict.QUEUE_OFF),
        (QueueOthers(known=5, on=5, off=0), OthersVerdict.ONLY_YOU),
        (QueueOthers(known=6, on=3, off=2), OthersVerdict.ONLY_YOU),
    ],
)
def test_only_you_or_the_whole_queue(others, verdict):
    assert others_verdict(others, RULES) is verdict


@pytest.mark.parametrize(
    ("back_after", "edge"),
    [
        (timedelta(minutes=30), CrowdEdge.EARLY),  # back 30 min before the planned end at +1 h
        (timedelta(minutes=50), None),  # 10 min early: on time
        (timedelta(minutes=80), CrowdEdge.LATE),  # 20 min late
    ],
)
def test_a_planned_outage_tells_only_a_return_far_from_the_plan(back_after, edge):
    planned_end = T0 + timedelta(hours=1)
    off, back = count(50, 40, fresh_off=0), count(50, 2, fresh_off=0)
    episode, told = step(Episode(), off, False, T0, RULES, planned_end=planned_end)
    assert (episode.status, episode.planned_end, told) == (CrowdStatus.PLANNED, planned_end, None)
    episode, told = step(episode, off, False, T0 + back_after / 2, RULES)
    assert (episode.status, told) == (CrowdStatus.PLANNED, None)
    back_at = T0 + back_after
    episode, told = step(episode, back, False, back_at, RULES)
    assert (episode.status, episode.since, told) == (CrowdStatus.PLANNED_RECOVERING, back_at, None)
    episode, told = step(episode, back, True, back_at + RULES.confirm, RULES)
    assert (episode, told) == (Episode(), edge)


def test_a_planned_outage_is_never_called_unscheduled():
    episode, told = step(Episode(), count(50, 40), False, T0, RULES, planned_end=T0)
    for minute in range(1, 30):  # the schedule turns "on", the crowd stays off: still planned
        episode, told = step(episode, count(50, 40), True, T0 + timedelta(minutes=minute), RULES)
        assert told is None and episode.status is CrowdStatus.PLANNED
