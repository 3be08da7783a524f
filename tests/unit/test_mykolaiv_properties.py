"""Properties of the Mykolaiv parser on generated bundles (hypothesis), as for DTEK and YASNO."""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from esvitlo.domain.documents import SourceKind, parse_document
from esvitlo.domain.model import MINUTES_PER_DAY, DayState, ScheduleFormatError
from esvitlo.domain.mykolaiv import parse_mykolaiv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mykolaiv"
KYIV = ZoneInfo("Europe/Kyiv")
FAST = settings(max_examples=200, deadline=None)
TYPES = ["OFF", "SURE_OFF", "PROBABLY_OFF"]
LEAVES = [
    *TYPES, "ENABLE", "00:00:00", "23:30:00", "24:00:00", "25:00", "2026-12-05T22:00:00.000Z",
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", 0, 1, 48, 49, -1, 10**20, 1.5,
    True, False, None, [], {},
]  # fmt: skip
KEYS = [
    "queues", "time_series", "active", "id", "name", "enabled", "deleted", "start", "end",
    "from", "to", "series", "time_series_id", "outage_queue_id", "type",
]  # fmt: skip


def _fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def _parse(doc: object) -> None:
    with contextlib.suppress(ScheduleFormatError):
        parse_mykolaiv(doc, region="t")
    with contextlib.suppress(ScheduleFormatError):
        parse_document(doc, region="t", kind=SourceKind.MYKOLAIV)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(LEAVES),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=5),
    max_leaves=40,
)  # fmt: skip


@FAST
@given(json_values)
def test_arbitrary_json_never_crashes_the_parser(doc: object) -> None:
    _parse(doc)


@FAST
@given(st.dictionaries(st.sampled_from(["queues", "time_series", "active"]), json_values))
def test_arbitrary_bundle_parts_never_crash(doc: dict[str, Any]) -> None:
    _parse(doc)


entries = st.fixed_dictionaries(
    {},
    optional={
        "time_series_id": st.integers(0, 50) | json_values,
        "outage_queue_id": st.integers(24, 38) | json_values,
        "type": st.sampled_from(TYPES) | json_values,
    },
)
periods = st.fixed_dictionaries(
    {},
    optional={
        "from": st.sampled_from(LEAVES) | json_values,
        "to": st.sampled_from(LEAVES) | json_values,
        "series": st.lists(entries, max_size=5) | json_values,
    },
)


@FAST
@given(st.lists(periods, max_size=3))
def test_arbitrary_periods_on_real_queues_never_crash(active: list[Any]) -> None:
    doc = _fixture("out_of_season")
    doc["active"] = active
    _parse(doc)


_FIXTURE_DOCS = {n: _fixture(n) for n in ("normal_day", "sure_off_day", "dst_days")}


@FAST
@given(st.sampled_from(["normal_day", "sure_off_day", "dst_days"]), st.data())
def test_a_fixture_with_one_node_replaced_never_crashes(name: str, data: st.DataObject) -> None:
    doc = copy.deepcopy(_FIXTURE_DOCS[name])
    node: Any = doc
    while isinstance(node, dict | list) and node and data.draw(st.booleans()):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = data.draw(st.sampled_from(keys))
        if not isinstance(node[key], dict | list) or data.draw(st.booleans()):
            node[key] = data.draw(json_values)
            break
        node = node[key]
    _parse(doc)


# --- valid bundles: the spans mean what the slots say --------------------------------------

QUEUE_IDS = list(range(25, 37))


def _midnight(day: date) -> str:
    instant = datetime.combine(day, time(), KYIV).astimezone(UTC)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.000Z")


slot_types = st.dictionaries(
    st.tuples(st.sampled_from(QUEUE_IDS), st.integers(1, 48)), st.sampled_from(TYPES), max_size=60
)
days = st.sampled_from([date(2026, 12, 6), date(2026, 3, 29), date(2026, 10, 25)])


@FAST
@given(days, slot_types)
def test_spans_are_the_slots_merged_and_inside_the_day(day: date, types: dict[Any, str]) -> None:
    doc = _fixture("out_of_season")
    series = [
        {"time_series_id": slot, "outage_queue_id": queue, "type": kind}
        for (queue, slot), kind in types.items()
    ]
    doc["active"] = [
        {"from": _midnight(day), "to": _midnight(day + timedelta(days=1)), "series": series}
    ]
    snapshot = parse_mykolaiv(doc, region="t")
    names = {q["id"]: q["name"] for q in doc["queues"]}
    for queue_id in QUEUE_IDS:
        schedule = snapshot.queues[names[queue_id]].day(day)
        assert schedule is not None
        for layer in (schedule.outages, schedule.possible):
            assert all(0 <= s.start < s.end <= MINUTES_PER_DAY for s in layer)
            assert all(a.end < b.start for a, b in itertools.pairwise(layer))
        mine = {slot: kind for (q, slot), kind in types.items() if q == queue_id}

        def minutes(kinds: set[str], mine: dict[int, str] = mine) -> set[int]:
            return {
                m
                for slot, k in mine.items()
                if k in kinds
                for m in range(slot * 30 - 30, slot * 30)
            }

        assert {m for s in schedule.outages for m in range(s.start, s.end)} == minutes(
            {"OFF", "SURE_OFF"}
        )
        assert {m for s in schedule.possible for m in range(s.start, s.end)} == minutes(
            {"PROBABLY_OFF"}
        )
        emergency = "SURE_OFF" in mine.values()
        assert (schedule.state is DayState.EMERGENCY) == emergency
