"""Change detection tables: every decision rule of check_queue and the structural diff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from esvitlo.domain.changes import (
    ChangeKind,
    DayDiff,
    Decision,
    check_queue,
    diff_spans,
    fingerprint,
)
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, Span

D = date(2025, 11, 9)
D1 = D + timedelta(days=1)
PUB, PEND, EMERG = DayState.PUBLISHED, DayState.PENDING, DayState.EMERGENCY


def sp(text: str) -> Span:
    start, end = text.split("-")
    h1, m1 = start.split(":")
    h2, m2 = end.split(":")
    return Span(int(h1) * 60 + int(m1), int(h2) * 60 + int(m2))


def day(on: date, state: DayState = PUB, *spans: str) -> DaySchedule:
    return DaySchedule(on, state, tuple(sp(s) for s in spans))


A = day(D, PUB, "08:00-10:00", "14:00-16:00")
A2 = day(D, PUB, "08:00-10:00", "14:00-17:00")
B = day(D1, PUB, "06:00-09:00")
B2 = day(D1, PUB, "06:00-09:00", "20:00-22:00")


def queue(*days: DaySchedule) -> QueueSchedule:
    return QueueSchedule("3.1", None, days)


CASES = [
    # id, stored, current days (None: queue absent), source_ok, decision, [(kind, date)], kept
    ("baseline", None, (A, day(D1, PEND)), True, Decision.BASELINE, [], {D: A, D1: day(D1, PEND)}),
    ("error-at-baseline-stores-nothing", None, (A,), False, Decision.SOURCE_ERROR, [], None),
    ("identical", {D: A}, (A,), True, Decision.NO_CHANGE, [], {D: A}),
    (
        "rollover",
        {D - timedelta(days=1): A2, D: A},
        (A, day(D1, PEND)),
        True,
        Decision.ROLLOVER,
        [],
        {D: A, D1: day(D1, PEND)},
    ),
    (
        "tomorrow-appears",
        {D: A, D1: day(D1, PEND)},
        (A, B),
        True,
        Decision.CHANGED,
        [(ChangeKind.TOMORROW_APPEARED, D1)],
        {D: A, D1: B},
    ),
    (
        "tomorrow-appears-without-outages",
        {D: A, D1: day(D1, PEND)},
        (A, day(D1, PUB)),
        True,
        Decision.CHANGED,
        [(ChangeKind.TOMORROW_APPEARED, D1)],
        {D: A, D1: day(D1, PUB)},
    ),
    (
        "tomorrow-changes",
        {D: A, D1: B},
        (A, B2),
        True,
        Decision.CHANGED,
        [(ChangeKind.TOMORROW_CHANGED, D1)],
        {D: A, D1: B2},
    ),
    (
        "tomorrow-withdrawn-keeps-published",
        {D1: B},
        (day(D1, PEND),),
        True,
        Decision.NO_CHANGE,
        [],
        {D1: B},
    ),
    (
        # the all-yes placeholder carried past midnight: kept as still not published
        "today-published-empty-after-pending",
        {D: day(D, PEND)},
        (day(D, PUB),),
        True,
        Decision.NO_CHANGE,
        [],
        {D: day(D, PEND)},
    ),
    (
        "today-published-after-pending",
        {D: day(D, PEND)},
        (A,),
        True,
        Decision.CHANGED,
        [(ChangeKind.TODAY_APPEARED, D)],
        {D: A},
    ),
    (
        "today-published-after-the-placeholder-past-midnight",
        {D - timedelta(days=1): A2, D: day(D, PEND)},
        (day(D, PUB),),
        True,
        Decision.ROLLOVER,
        [],
        {D: day(D, PEND)},
    ),
    (
        "today-becomes-emergency",
        {D: A},
        (day(D, EMERG, "08:00-10:00", "14:00-16:00"),),
        True,
        Decision.CHANGED,
        [(ChangeKind.EMERGENCY_STARTED, D)],
        {D: day(D, EMERG, "08:00-10:00", "14:00-16:00")},
    ),
    (
        "tomorrow-pending-becomes-emergency",
        {D: A, D1: day(D1, PEND)},
        (A, day(D1, EMERG)),
        True,
        Decision.CHANGED,
        [(ChangeKind.EMERGENCY_STARTED, D1)],
        {D: A, D1: day(D1, EMERG)},
    ),
    (
        "never-stored-day-becomes-emergency",
        {D1: B},
        (day(D, EMERG), B),
        True,
        Decision.CHANGED,
        [(ChangeKind.EMERGENCY_STARTED, D)],
        {D: day(D, EMERG), D1: B},
    ),
    (
        # a source naming its emergency cuts' hours (Mykolaiv's SURE_OFF) moved them
        "emergency-goes-on-with-other-outages",
        {D: day(D, EMERG)},
        (day(D, EMERG, "10:00-12:00"),),
        True,
        Decision.CHANGED,
        [(ChangeKind.TODAY_CHANGED, D)],
        {D: day(D, EMERG, "10:00-12:00")},
    ),
    (
        "emergency-goes-on-with-the-same-hours",
        {D: day(D, EMERG, "10:00-12:00")},
        (day(D, EMERG, "10:00-12:00"),),
        True,
        Decision.NO_CHANGE,
        [],
        {D: day(D, EMERG, "10:00-12:00")},
    ),
    (
        "emergency-ends",
        {D: day(D, EMERG), D1: B},
        (A, B),
        True,
        Decision.CHANGED,
        [(ChangeKind.EMERGENCY_ENDED, D)],
        {D: A, D1: B},
    ),
    (
        "emergency-ends-without-outages",
        {D: day(D, EMERG)},
        (day(D, PUB),),
        True,
        Decision.CHANGED,
        [(ChangeKind.EMERGENCY_ENDED, D)],
        {D: day(D, PUB)},
    ),
    (
        "emergency-withdrawn-to-pending-keeps-emergency",
        {D1: day(D1, EMERG)},
        (day(D1, PEND),),
        True,
        Decision.NO_CHANGE,
        [],
        {D1: day(D1, EMERG)},
    ),
    ("error-run-keeps-stored", {D: A}, (A2, B), False, Decision.SOURCE_ERROR, [], {D: A}),
    (
        "first-today-after-empty-store",
        {},
        (A,),
        True,
        Decision.CHANGED,
        [(ChangeKind.TODAY_APPEARED, D)],
        {D: A},
    ),
    (
        # the service was down for days: today and tomorrow were never stored
        "days-never-stored-are-published",
        {D - timedelta(days=3): A2},
        (A, B),
        True,
        Decision.CHANGED,
        [(ChangeKind.TODAY_APPEARED, D), (ChangeKind.TOMORROW_APPEARED, D1)],
        {D: A, D1: B},
    ),
    (
        "never-stored-quiet-today-is-the-placeholder",
        {D1: B},
        (day(D, PUB), B),
        True,
        Decision.NO_CHANGE,
        [],
        {D: day(D, PEND), D1: B},
    ),
    ("queue-vanished-keeps-stored", {D: A}, None, True, Decision.NO_CHANGE, [], {D: A}),
    (
        "past-days-of-the-document-ignored",
        {D: A},
        (day(D - timedelta(days=1), PUB, "01:00-02:00"), A),
        True,
        Decision.NO_CHANGE,
        [],
        {D: A},
    ),
]


@pytest.mark.parametrize(
    ("stored", "current", "source_ok", "decision", "changes", "kept"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_check_queue_decisions(stored, current, source_ok, decision, changes, kept):
    result = check_queue(stored, queue(*current) if current else None, D, source_ok=source_ok)
    assert result.decision is decision
    assert [(c.kind, c.date) for c in result.changes] == changes
    assert (dict(result.keep) if result.keep is not None else None) == kept


def test_today_change_reports_the_structural_diff_and_coverage():
    result = check_queue({D: A}, queue(A2), D)
    (change,) = result.changes
    assert change.old == A and change.new == A2
    assert change.diff == DayDiff(shifted=((sp("14:00-16:00"), sp("14:00-17:00")),))
    assert change.diff.coverage() == ((sp("16:00-17:00"),), ())


@pytest.mark.parametrize(
    ("old", "new", "added", "removed", "shifted", "more", "less"),
    [
        ((), (), (), (), (), (), ()),
        (("08:00-10:00",), ("08:00-10:00",), (), (), (), (), ()),
        ((), ("08:00-10:00",), ("08:00-10:00",), (), (), ("08:00-10:00",), ()),
        (("08:00-10:00",), (), (), ("08:00-10:00",), (), (), ("08:00-10:00",)),
        (
            ("08:00-10:00",),
            ("09:00-11:00",),
            (),
            (),
            (("08:00-10:00", "09:00-11:00"),),
            ("10:00-11:00",),
            ("08:00-09:00",),
        ),
        (
            ("10:30-14:00",),
            ("10:30-11:00", "11:30-14:00"),
            ("11:30-14:00",),
            (),
            (("10:30-14:00", "10:30-11:00"),),
            (),
            ("11:00-11:30",),
        ),
        (
            ("08:00-10:00", "20:00-22:00"),
            ("08:00-10:00", "23:00-24:00"),
            ("23:00-24:00",),
            ("20:00-22:00",),
            (),
            ("23:00-24:00",),
            ("20:00-22:00",),
        ),
    ],
)
def test_diff_spans_table(old, new, added, removed, shifted, more, less):
    diff = diff_spans(tuple(map(sp, old)), tuple(map(sp, new)))
    assert diff.added == tuple(map(sp, added))
    assert diff.removed == tuple(map(sp, removed))
    assert diff.shifted == tuple((sp(a), sp(b)) for a, b in shifted)
    assert diff.coverage() == (tuple(map(sp, more)), tuple(map(sp, less)))
    assert bool(diff) == bool(added or removed or shifted)


def test_fingerprint_is_stable_and_sensitive():
    assert fingerprint(A) == fingerprint(day(D, PUB, "08:00-10:00", "14:00-16:00"))
    different = {
        fingerprint(x)
        for x in (
            A,
            A2,
            day(D, EMERG, "08:00-10:00", "14:00-16:00"),
            day(D, PEND),
            day(D1, PUB, "08:00-10:00", "14:00-16:00"),
        )
    }
    assert len(different) == 5
    assert len(fingerprint(A)) == 32
    # the possible layer is not part of what users are alerted about
    assert fingerprint(A) == fingerprint(DaySchedule(D, PUB, A.outages, (sp("00:00-06:00"),)))


def test_a_day_never_stored_is_published_not_changed_with_everything_added():
    (change,) = check_queue({D1: B}, queue(A, B), D).changes
    assert change.kind is ChangeKind.TODAY_APPEARED and change.kind.appeared
    assert not change.kind.edits and change.old is None


def test_emergency_on_off_on_is_an_event_each_time_and_rechecking_adds_nothing():
    stored: dict[date, DaySchedule] = {D: A}
    kinds = []
    for current in (day(D, EMERG), A, day(D, EMERG)):
        result = check_queue(stored, queue(current), D)
        assert check_queue(result.keep, queue(current), D).changes == ()
        kinds += [c.kind for c in result.changes]
        stored = dict(result.keep or {})
    assert kinds == [
        ChangeKind.EMERGENCY_STARTED,
        ChangeKind.EMERGENCY_ENDED,
        ChangeKind.EMERGENCY_STARTED,
    ]
