"""YASNO planned-outages parsing: the real excerpt and synthetic edge cases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from esvitlo.domain.documents import SourceKind, detect_kind, parse_document
from esvitlo.domain.model import DayState, RegionSnapshot, ScheduleFormatError, Span
from esvitlo.domain.yasno import parse_yasno

from fixture_files import fixtures_dir

EXCERPT = "yasno/planned-outages_kyiv_group6.2_excerpt_2025-12-26.json"


def excerpt() -> RegionSnapshot:
    doc = json.loads((fixtures_dir() / EXCERPT).read_text(encoding="utf-8"))
    return parse_yasno(doc, region="kyiv")


def day(
    status: str, *slots: tuple[int, int, object], on: str = "2025-12-26T00:00:00+02:00"
) -> dict[str, Any]:
    return {
        "slots": [{"start": s, "end": e, "type": t} for s, e, t in slots],
        "date": on,
        "status": status,
    }


def one(body: dict[str, Any], group: str = "6.2") -> RegionSnapshot:
    return parse_yasno({group: body}, region="kyiv")


# --- the real excerpt ---------------------------------------------------------------------


def test_excerpt_today_is_published() -> None:
    snapshot = excerpt()
    assert list(snapshot.queues) == ["6.2"]
    today = snapshot.queues["6.2"].days[0]
    assert today.date == date(2025, 12, 26)
    assert today.state is DayState.PUBLISHED
    assert today.outages == (Span(300, 390), Span(810, 1050))
    assert [s.label() for s in today.outages] == ["05:00–06:30", "13:30–17:30"]
    assert today.possible == ()


def test_excerpt_tomorrow_waits_with_slots_as_possible_only() -> None:
    tomorrow = excerpt().queues["6.2"].days[1]
    assert tomorrow.date == date(2025, 12, 27)
    assert tomorrow.state is DayState.PENDING
    assert not tomorrow.published
    assert tomorrow.outages == ()
    assert tomorrow.possible == (Span(360, 600),)


def test_excerpt_metadata() -> None:
    snapshot = excerpt()
    assert snapshot.today == date(2025, 12, 26)
    assert snapshot.data_updated_at == datetime(2025, 12, 26, 10, 5, 25, tzinfo=UTC)
    assert snapshot.source_ok and snapshot.source_message is None
    assert snapshot.warnings == ()
    assert snapshot.queues["6.2"].name is None
    assert (snapshot.region, snapshot.tz) == ("kyiv", "Europe/Kyiv")


def test_excerpt_is_detected_as_yasno() -> None:
    doc = json.loads((fixtures_dir() / EXCERPT).read_text(encoding="utf-8"))
    assert detect_kind(doc) is SourceKind.YASNO
    assert parse_document(doc, region="kyiv") == excerpt()


# --- statuses -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "state", "outages", "possible"),
    [
        ("ScheduleApplies", DayState.PUBLISHED, (Span(600, 720),), ()),
        # the suspended plan: possible, never definite times
        ("EmergencyShutdowns", DayState.EMERGENCY, (), (Span(600, 720),)),
        ("WaitingForSchedule", DayState.PENDING, (), (Span(600, 720),)),
    ],
)
def test_status_decides_the_layer_of_definite_slots(
    status: str, state: DayState, outages: tuple[Span, ...], possible: tuple[Span, ...]
) -> None:
    slots = ((0, 600, "NotPlanned"), (600, 720, "Definite"), (720, 1440, "NotPlanned"))
    parsed = one({"today": day(status, *slots)}).queues["6.2"].days[0]
    assert (parsed.state, parsed.outages, parsed.possible) == (state, outages, possible)
    assert parsed.published is (state is not DayState.PENDING)


def test_emergency_without_slots() -> None:
    parsed = one({"today": day("EmergencyShutdowns")}).queues["6.2"].days[0]
    assert (parsed.state, parsed.outages, parsed.possible) == (DayState.EMERGENCY, (), ())


def test_no_outages_is_published_and_empty() -> None:
    snapshot = one({"today": day("NoOutages", (0, 1440, "NotPlanned"))})
    parsed = snapshot.queues["6.2"].days[0]
    assert (parsed.state, parsed.outages, parsed.possible) == (DayState.PUBLISHED, (), ())
    assert snapshot.warnings == ()


def test_unknown_status_is_pending_with_a_warning() -> None:
    snapshot = one({"today": day("Reconsidering", (60, 120, "Definite"))})
    parsed = snapshot.queues["6.2"].days[0]
    assert parsed.state is DayState.PENDING
    assert (parsed.outages, parsed.possible) == ((), (Span(60, 120),))
    assert snapshot.warnings == (
        "6.2.today: unknown status 'Reconsidering'; treated as not yet published",
    )


def test_missing_status_is_pending_with_a_warning() -> None:
    body = {"today": {"slots": [], "date": "2025-12-26T00:00:00+02:00"}}
    snapshot = one(body)
    assert snapshot.queues["6.2"].days[0].state is DayState.PENDING
    assert snapshot.warnings == ("6.2.today: unknown status 'None'; treated as not yet published",)


# --- slot types ---------------------------------------------------------------------------


def test_unknown_slot_type_keeps_the_day_with_the_slot_unreadable() -> None:
    slots = ((0, 60, "Definite"), (60, 120, "Blackout"), (120, 180, "Definite"), (200, 220, [1]))
    snapshot = one({"today": day("ScheduleApplies", *slots)})
    parsed = snapshot.queues["6.2"].days[0]
    assert parsed.outages == (Span(0, 60), Span(120, 180))
    assert parsed.unreadable == (Span(60, 120), Span(200, 220))
    assert [(v.kind, v.queue, v.day, v.value) for v in snapshot.unreadable] == [
        ("slot_type", "6.2", parsed.date, "'Blackout'"),
        ("slot_type", "6.2", parsed.date, "[1]"),
    ]
    assert snapshot.warnings == ()


@pytest.mark.parametrize("kind", ["Possible", "Maybe", "Probable"])
def test_possible_slot_types(kind: str) -> None:
    slots = ((0, 60, "Definite"), (60, 120, kind), (120, 1440, "NotPlanned"))
    parsed = one({"today": day("ScheduleApplies", *slots)}).queues["6.2"].days[0]
    assert (parsed.outages, parsed.possible) == ((Span(0, 60),), (Span(60, 120),))


def test_adjacent_and_unsorted_definite_slots_merge() -> None:
    slots = ((360, 390, "Definite"), (300, 360, "Definite"), (1410, 1440, "Definite"))
    parsed = one({"today": day("ScheduleApplies", *slots)}).queues["6.2"].days[0]
    assert parsed.outages == (Span(300, 390), Span(1410, 1440))


def test_null_slots_is_an_empty_day() -> None:
    body = {"today": {"slots": None, "date": "2025-12-26", "status": "ScheduleApplies"}}
    parsed = one(body).queues["6.2"].days[0]
    assert (parsed.date, parsed.outages) == (date(2025, 12, 26), ())


# --- groups and days ----------------------------------------------------------------------


def test_groups_are_normalized_and_sorted() -> None:
    body = {"today": day("ScheduleApplies")}
    doc = {"10.1": body, "GPV2.1": body, "1.2": body, "36.1": body}
    assert list(parse_yasno(doc, region="kyiv").queues) == ["1.2", "2.1", "10.1", "36.1"]


def test_missing_tomorrow_and_null_today() -> None:
    tomorrow = day("ScheduleApplies", (0, 60, "Definite"), on="2025-12-27T00:00:00+02:00")
    snapshot = one({"today": None, "tomorrow": tomorrow})
    assert [d.date for d in snapshot.queues["6.2"].days] == [date(2025, 12, 27)]
    assert snapshot.today is None
    assert [d.date for d in one({"today": day("NoOutages")}).queues["6.2"].days] == [
        date(2025, 12, 26)
    ]


def test_days_sorted_by_date() -> None:
    body = {
        "today": day("ScheduleApplies", on="2025-12-27T00:00:00+02:00"),
        "tomorrow": day("ScheduleApplies", on="2025-12-26T00:00:00+02:00"),
    }
    assert [d.date for d in one(body).queues["6.2"].days] == [
        date(2025, 12, 26),
        date(2025, 12, 27),
    ]


def test_latest_updated_on_wins() -> None:
    doc = {
        "1.1": {"today": day("NoOutages"), "updatedOn": "2025-12-26T10:05:25+00:00"},
        "1.2": {"today": day("NoOutages"), "updatedOn": "2025-12-26T11:00:00Z"},
        "2.1": {"today": day("NoOutages"), "updatedOn": "not a time"},
    }
    snapshot = parse_yasno(doc, region="kyiv")
    assert snapshot.data_updated_at == datetime(2025, 12, 26, 11, 0, tzinfo=UTC)


# --- wrong shapes -------------------------------------------------------------------------


def _slot(**fields: object) -> dict[str, Any]:
    return {"6.2": {"today": {"slots": [fields], "date": "2025-12-26", "status": "NoOutages"}}}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({}, r"^expected a non-empty JSON object of groups$"),
        ([], r"^expected a non-empty JSON object of groups$"),
        ("6.2", r"^expected a non-empty JSON object of groups$"),
        ({"6.2": []}, r"^6\.2: expected an object with today / tomorrow$"),
        ({"6.2": {"today": []}}, r"^6\.2\.today: expected an object$"),
        ({"6.2": {"today": {"date": "26.12.2025"}}}, r"^6\.2\.today\.date: '26\.12\.2025' is not"),
        ({"6.2": {"today": {"slots": []}}}, r"^6\.2\.today\.date: None is not ISO-8601$"),
        (
            {"6.2": {"today": {"date": "2025-12-26", "slots": {"start": 0}}}},
            r"^6\.2\.today\.slots: expected a list$",
        ),
        (
            {"6.2": {"tomorrow": {"date": "2025-12-26", "slots": [[0, 60, "Definite"]]}}},
            r"^6\.2\.tomorrow\.slots\[0\]: expected a slot object$",
        ),
        (_slot(start=0.0, end=60, type="Definite"), r"slots\[0\]: start and end must be whole"),
        (_slot(start=0, end="60", type="Definite"), r"slots\[0\]: start and end must be whole"),
        (_slot(start=0, type="Definite"), r"slots\[0\]: start and end must be whole minutes"),
        (_slot(start=False, end=60, type="Definite"), r"start and end must be whole minutes"),
        (_slot(start=0, end=True, type="Definite"), r"start and end must be whole minutes"),
        (_slot(start=60, end=60, type="Definite"), r"slots\[0\]: slot 60\.\.60 is outside the day"),
        (_slot(start=90, end=60, type="Definite"), r"slot 90\.\.60 is outside the day"),
        (_slot(start=-30, end=60, type="Definite"), r"slot -30\.\.60 is outside the day"),
        (_slot(start=0, end=1470, type="Definite"), r"slot 0\.\.1470 is outside the day"),
    ],
)
def test_malformed_documents(doc: object, message: str) -> None:
    with pytest.raises(ScheduleFormatError, match=message):
        parse_yasno(doc, region="kyiv")


@pytest.mark.parametrize(
    "doc",
    [
        {},
        [],
        {"6.2": {"updatedOn": "2025-12-26T10:05:25+00:00"}},  # neither today nor tomorrow
        {"6.2": {"today": {}}, "6.1": 5},
    ],
)
def test_detect_kind_rejects_non_yasno_shapes(doc: object) -> None:
    with pytest.raises(ScheduleFormatError, match="not a known schedule format"):
        detect_kind(doc)


def test_parse_document_with_explicit_kind() -> None:
    doc = {"6.2": {"today": day("ScheduleApplies", (0, 30, "Definite"))}}
    snapshot = parse_document(doc, region="kyiv", kind=SourceKind.YASNO)
    assert snapshot.queues["6.2"].days[0].outages == (Span(0, 30),)
    with pytest.raises(ScheduleFormatError, match="fact: expected an object"):
        parse_document(doc, region="kyiv", kind=SourceKind.DTEK)
