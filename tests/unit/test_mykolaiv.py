"""The Mykolaiv bundle parser on fixtures built from the API's public shapes, and its errors."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from esvitlo.cli import main
from esvitlo.domain.changes import Decision, check_queue
from esvitlo.domain.documents import SourceKind, decode_json, detect_kind, parse_document
from esvitlo.domain.model import DayState, ScheduleFormatError, Span, real_minutes
from esvitlo.domain.mykolaiv import parse_mykolaiv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mykolaiv"
KYIV = ZoneInfo("Europe/Kyiv")
TODAY, TOMORROW = date(2026, 12, 6), date(2026, 12, 7)
SUB_QUEUES = ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]


def bundle(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def spans(*labels: tuple[int, int]) -> tuple[Span, ...]:
    return tuple(Span(a, b) for a, b in labels)


def h(hours: float) -> int:
    return int(hours * 60)


def test_a_bundle_is_detected_and_parsed_through_parse_document() -> None:
    raw = (FIXTURES / "normal_day.json").read_bytes()
    doc = decode_json(raw)
    assert detect_kind(doc) is SourceKind.MYKOLAIV
    snapshot = parse_document(doc, region="mykolaiv")
    assert list(snapshot.queues) == SUB_QUEUES
    assert snapshot.today == TODAY
    assert snapshot.warnings == ()


def test_normal_day_outages_possible_and_queues_with_power() -> None:
    queues = parse_mykolaiv(bundle("normal_day"), region="mykolaiv").queues
    first = queues["1.1"].day(TODAY)
    assert first is not None
    assert first.state is DayState.PUBLISHED
    assert first.outages == spans((h(8), h(12)))
    assert first.possible == spans((h(18), h(20)))
    assert queues["3.1"].day(TODAY).outages == spans((0, h(3)), (h(14), h(18)))  # type: ignore[union-attr]
    assert queues["6.2"].day(TODAY).possible == spans((h(6), h(7)))  # type: ignore[union-attr]
    # no entry for a queue on a covered day: published, power all day
    quiet = queues["2.1"].day(TODAY)
    assert quiet is not None
    assert (quiet.state, quiet.outages, quiet.possible) == (DayState.PUBLISHED, (), ())
    assert [d.date for d in queues["2.1"].days] == [TODAY, TOMORROW]


def test_an_outage_across_midnight_ends_and_starts_the_two_days() -> None:
    queue = parse_mykolaiv(bundle("normal_day"), region="mykolaiv").queues["3.2"]
    assert queue.day(TODAY).outages == spans((h(22), 1440))  # type: ignore[union-attr]
    assert queue.day(TOMORROW).outages == spans((0, h(2)))  # type: ignore[union-attr]


def test_city_queue_entries_are_not_sub_queues() -> None:
    """The fixture gives city queue id 3 a whole day off; sub-queue 1.1's id is 25."""
    snapshot = parse_mykolaiv(bundle("normal_day"), region="mykolaiv")
    whole_day = [q for q, s in snapshot.queues.items() if s.day(TODAY).outages == spans((0, 1440))]  # type: ignore[union-attr]
    assert whole_day == []


def test_sure_off_is_an_outage_and_makes_the_day_an_emergency() -> None:
    queues = parse_mykolaiv(bundle("sure_off_day"), region="mykolaiv").queues
    emergency = queues["3.1"].day(TODAY)
    assert emergency is not None
    assert emergency.state is DayState.EMERGENCY
    assert emergency.outages == spans((h(8), h(12)), (h(16), h(18)))
    assert queues["4.1"].day(TODAY).state is DayState.PUBLISHED  # type: ignore[union-attr]
    assert queues["4.2"].day(TODAY).possible == spans((h(9), h(11)))  # type: ignore[union-attr]


def test_out_of_season_the_queues_exist_and_no_day_is_published() -> None:
    snapshot = parse_mykolaiv(bundle("out_of_season"), region="mykolaiv")
    assert list(snapshot.queues) == SUB_QUEUES
    assert all(q.days == () for q in snapshot.queues.values())
    assert snapshot.today is None
    check = check_queue(None, snapshot.queues["3.1"], TODAY)
    assert check.decision is Decision.BASELINE


@pytest.mark.parametrize(
    ("day", "wall", "real"),
    [
        # 25-hour day: 02:00-04:00 holds the repeated hour, 48 wall-clock slots still
        (date(2026, 10, 25), spans((h(2), h(4)), (h(22), 1440)), 180 + 120),
        # 23-hour day: 03:00-04:00 does not exist, so 02:00-05:00 lasts two hours
        (date(2026, 3, 29), spans((h(2), h(5))), 120),
    ],
)
def test_dst_days_keep_wall_clock_slots(day: date, wall: tuple[Span, ...], real: int) -> None:
    snapshot = parse_mykolaiv(bundle("dst_days"), region="mykolaiv")
    schedule = snapshot.queues["2.1"].day(day)
    assert schedule is not None
    assert schedule.outages == wall
    assert real_minutes(day, schedule.outages, KYIV) == real


def _entry(queue_id: int, slot: int, kind: object) -> dict[str, object]:
    return {"time_series_id": slot, "outage_queue_id": queue_id, "type": kind}


def _one_day(*entries: dict[str, object]) -> dict[str, Any]:
    doc = bundle("out_of_season")
    doc["active"] = [
        {
            "from": "2026-12-05T22:00:00.000Z",
            "to": "2026-12-06T22:00:00.000Z",
            "series": list(entries),
        }
    ]
    return doc


def test_an_unknown_type_keeps_the_day_and_names_queue_and_value() -> None:
    doc = _one_day(_entry(29, 1, "OFF"), _entry(29, 3, "MAYBE_OFF"), _entry(29, 4, "MAYBE_OFF"))
    snapshot = parse_mykolaiv(doc, region="mykolaiv")
    day = snapshot.queues["3.1"].day(TODAY)
    assert day is not None
    assert day.state is DayState.PUBLISHED
    assert day.outages == spans((0, 30))
    assert day.unreadable == spans((60, 120))
    [warning] = snapshot.warnings
    assert "3.1" in warning and "'MAYBE_OFF'" in warning and "2 slot(s)" in warning
    [value] = snapshot.unreadable
    assert (value.queue, value.day, value.value) == ("3.1", TODAY, "'MAYBE_OFF'")


def test_an_unknown_slot_id_is_a_warning() -> None:
    snapshot = parse_mykolaiv(_one_day(_entry(29, 99, "OFF")), region="mykolaiv")
    assert snapshot.queues["3.1"].day(TODAY).outages == ()  # type: ignore[union-attr]
    assert snapshot.warnings == ("queue 3.1 2026-12-06: unknown slot id 99 in 1 slot(s)",)


def test_two_periods_of_one_date_merge_keeping_the_stronger_type() -> None:
    doc = _one_day(_entry(29, 1, "PROBABLY_OFF"), _entry(29, 2, "OFF"))
    second = copy.deepcopy(doc["active"][0])
    second["series"] = [_entry(29, 1, "SURE_OFF"), _entry(29, 2, "PROBABLY_OFF")]
    doc["active"].append(second)
    snapshot = parse_mykolaiv(doc, region="mykolaiv")
    day = snapshot.queues["3.1"].day(TODAY)
    assert day is not None
    assert (day.state, day.outages, day.possible) == (DayState.EMERGENCY, spans((0, 60)), ())
    assert "second period for 2026-12-06" in snapshot.warnings[0]


@pytest.mark.parametrize("end", ["00:00:00", "24:00:00", "23:59:59", "24:00"])
def test_the_last_slot_ends_at_midnight_however_written(end: str) -> None:
    doc = _one_day(_entry(29, 48, "OFF"))
    doc["time_series"][-1]["end"] = end
    day = parse_mykolaiv(doc, region="mykolaiv").queues["3.1"].day(TODAY)
    assert day is not None
    assert day.outages == spans((h(23.5), 1440))


@pytest.mark.parametrize(
    ("start", "day"),
    [
        ("2026-12-06T00:00:00", TODAY),  # no offset: Kyiv's wall clock
        ("2026-12-06T00:00:00+02:00", TODAY),
        (1_796_508_000, TODAY),  # Unix seconds of Kyiv midnight
        (1_796_508_000_000, TODAY),  # and milliseconds
    ],
)
def test_a_period_is_the_kyiv_date_of_its_start(start: object, day: date) -> None:
    doc = _one_day(_entry(29, 1, "OFF"))
    doc["active"][0]["from"] = start
    snapshot = parse_mykolaiv(doc, region="mykolaiv")
    assert [d.date for d in snapshot.queues["3.1"].days] == [day]


def test_deleted_and_disabled_queues_are_left_out() -> None:
    doc = bundle("out_of_season")
    doc["queues"][0]["deleted"] = 1
    doc["queues"][1]["enabled"] = 0
    assert list(parse_mykolaiv(doc, region="mykolaiv").queues) == SUB_QUEUES[2:]


def _broken(path: str, value: object) -> dict[str, Any]:
    doc = _one_day(_entry(29, 1, "OFF"))
    node: Any = doc
    *parents, last = path.split("/")
    for key in parents:
        node = node[int(key) if key.isdigit() else key]
    node[int(last) if last.isdigit() else last] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a JSON object"),
        (_broken("queues", {}), "queues: expected a list"),
        (_broken("active", None), "active: expected a list, got null"),
        (_broken("queues/0/id", "25"), r"queues\[0\]: needs a whole 'id'"),
        (_broken("queues/1/name", "1.1"), "repeated"),
        (_broken("time_series/0/start", "25:00:00"), "not a time of day"),
        (_broken("time_series/0/start", "half past"), "not HH:MM:SS"),
        (_broken("time_series/1/end", "00:30:00"), "is empty"),
        (_broken("active/0/from", "yesterday"), "not an ISO time"),
        (_broken("active/0/to", "2026-12-05T21:00:00Z"), r"^active\[0\]: 'to' is not after"),
        (_broken("active/0/to", -5), "not a plausible Unix time"),
        (_broken("active/0/series", {}), "series: expected a list"),
        (_broken("active/0/series/0/outage_queue_id", None), "needs whole 'outage_queue_id'"),
    ],
)
def test_bad_shapes_raise_a_clear_error(doc: object, message: str) -> None:
    with pytest.raises(ScheduleFormatError, match=message):
        parse_mykolaiv(doc, region="mykolaiv")


def test_the_fixtures_agree_with_a_json_round_trip() -> None:
    """The fixtures are what the adapter hands on: the three documents as they are."""
    for path in sorted(FIXTURES.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert sorted(doc) == ["active", "queues", "time_series"]
        assert len(doc["time_series"]) == 48


def test_schedule_file_reads_a_bundle_and_finds_the_mykolaiv_region(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(FIXTURES / "normal_day.json")
    argv = ["schedule", "--file", path, "3.2", "--json", "--now", "2026-12-06T09:00+02:00"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["region"], doc["queue"]) == ("mykolaiv", "3.2")
    assert doc["days"][0]["outages"] == [
        {"start": "2026-12-06T22:00:00+02:00", "end": "2026-12-07T00:00:00+02:00"}
    ]
