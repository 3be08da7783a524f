"""Properties of parsing and spans, checked on generated documents (hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from esvitlo.domain.changes import Decision, check_queue, diff_spans
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.dtek import parse_dtek
from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    ScheduleFormatError,
    Span,
    merge_spans,
    spans_from_mask,
)
from esvitlo.domain.yasno import parse_yasno

from fixture_files import fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")
FAST = settings(max_examples=200, deadline=None)
FACT_CODES = {"yes": (0, 0), "no": (1, 1), "first": (1, 0), "second": (0, 1)}
MAYBE_CODES = {"maybe": (1, 1), "mfirst": (1, 0), "msecond": (0, 1)}
CODES = sorted(FACT_CODES) + sorted(MAYBE_CODES)
KEYS = [
    "fact", "data", "today", "update", "preset", "sch_names", "lastUpdateStatus", "status",
    "message", "lastUpdated", "at", "GPV1.1", "GPV10.2", "1", "4", "24", "25", "1762380000",
    "today", "tomorrow", "slots", "start", "end", "type", "date", "updatedOn", "6.2",
]  # fmt: skip
LEAVES = [
    *CODES, "Definite", "NotPlanned", "Possible", "ScheduleApplies", "WaitingForSchedule",
    "EmergencyShutdowns", "error", "2025-12-26T00:00:00+02:00", "0001-01-01T00:00:00+05:00",
    "06.11.2025 20:24", "01.01.0001 00:00", "31.12.9999 23:59", "1762380000", "99999999999999",
    0, 1, 30, 1440, 1762380000, -1, 10**20, 1.5, True, False, None, [], {},
]  # fmt: skip
PARSERS: list[Callable[[object], object]] = [
    lambda doc: parse_document(doc, region="t"),
    lambda doc: parse_dtek(doc, region="t"),
    lambda doc: parse_yasno(doc, region="t"),
    lambda doc: parse_document(doc, region="t", kind=SourceKind.YASNO),
]

# --- (1) any input: a ScheduleFormatError or a snapshot, nothing else -----------------------

keys = st.sampled_from(KEYS) | st.text(max_size=6)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(LEAVES),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=40,
)


def _parse_all(doc: object) -> None:
    for parse in PARSERS:
        with contextlib.suppress(ScheduleFormatError):
            parse(doc)


@FAST
@given(json_values)
def test_arbitrary_json_never_crashes_the_parsers(doc: object) -> None:
    _parse_all(doc)


@FAST
@given(st.dictionaries(st.sampled_from(["fact", "preset", "lastUpdateStatus"]), json_values))
def test_arbitrary_dtek_parts_never_crash(doc: dict[str, Any]) -> None:
    _parse_all(doc)


minutes = st.integers(-60, 1500) | st.sampled_from([0, 30, 1440, True, 1.5, "60", None])
yasno_slots = st.fixed_dictionaries(
    {},
    optional={
        "start": minutes,
        "end": minutes,
        "type": st.sampled_from(["Definite", "NotPlanned", "Possible", "Other"]) | json_values,
    },
)
yasno_days = st.fixed_dictionaries(
    {},
    optional={
        "date": st.sampled_from(["2025-12-26T00:00:00+02:00", "2025-12-27", "0001-01-01", "x"])
        | json_values,
        "status": st.sampled_from(["ScheduleApplies", "WaitingForSchedule", "Other"]) | json_values,
        "slots": st.lists(yasno_slots, max_size=4) | json_values,
    },
)
yasno_groups = st.fixed_dictionaries(
    {},
    optional={
        "today": yasno_days | json_values,
        "tomorrow": yasno_days | json_values,
        "updatedOn": st.sampled_from(LEAVES) | st.text(max_size=30),
    },
)


@FAST
@given(st.dictionaries(keys, yasno_groups, min_size=1, max_size=3))
def test_arbitrary_yasno_groups_never_crash(doc: dict[str, Any]) -> None:
    _parse_all(doc)


BASES = [
    "outage-data-ua/dnipro/2025-11-06T1845_a044.json",
    "outage-data-ua/kyiv/2025-11-07T1936_a134_error.json",
    "outage-data-ua/dnipro/2026-08-21T2351_a30165_empty_fact.json",
    "oe-outage-data/Zhytomyroblenergo_2026-02-27T0435.json",
    "yasno/planned-outages_kyiv_group6.2_excerpt_2025-12-26.json",
]


Path = tuple[str | int, ...]


@cache
def _base(name: str) -> tuple[str, tuple[tuple[Path, ...], ...]]:
    """A real file's text and the paths of its nodes: shallow, fact cells, preset, all."""
    text = (fixtures_dir() / name).read_text(encoding="utf-8")
    paths: list[Path] = []

    def walk(node: object, path: Path) -> None:
        if path:
            paths.append(path)
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, (*path, i))

    walk(json.loads(text), ())
    groups = (
        [p for p in paths if len(p) <= 3],
        [p for p in paths if p[0] == "fact" and len(p) >= 4],
        [p for p in paths if p[0] == "preset" and len(p) >= 3],
        paths,
    )
    return text, tuple(tuple(g) for g in groups if g)


def _mutate(doc: Any, path: Path, how: str, value: object, name: str) -> None:
    parent = doc
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return  # an earlier mutation removed this path
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        if how == "delete":
            del parent[last]
        elif how == "rename":
            parent[name] = parent.pop(last)
        else:
            parent[last] = value
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        if how == "delete":
            del parent[last]
        else:
            parent[last] = value


mutations = st.tuples(
    st.sampled_from(["replace", "replace", "delete", "rename"]),
    st.sampled_from(LEAVES) | json_values,
    st.sampled_from(KEYS) | st.text(max_size=4) | st.integers(0, 2_000_000_000).map(str),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BASES), st.data())
def test_near_valid_documents_never_crash(name: str, data: st.DataObject) -> None:
    text, groups = _base(name)
    doc = json.loads(text)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = data.draw(st.sampled_from(groups), label="kind of node")
        path = data.draw(st.sampled_from(paths), label="path")
        how, value, new_key = data.draw(mutations, label="mutation")
        _mutate(doc, path, how, value, new_key)
    _parse_all(doc)


@FAST
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
@example(b"1" * 5000)  # over the int digit limit: ValueError, not JSONDecodeError
@example(b"[" * 100_000)
@example(b"\xff\xfe\x00")
@example(b'{"fact": ')
@example(b"")
def test_decode_json_raises_only_schedule_format_error(data: bytes) -> None:
    try:
        decode_json(data)
    except ScheduleFormatError as exc:
        assert str(exc).startswith("not JSON: ")


@pytest.mark.parametrize(
    "doc",
    [
        {"fact": {"data": {"1762380000": {"GPV1.1": {"1": ["no"], "2": {"a": 1}}}}}},
        {"fact": {"data": [], "update": "01.01.0001 00:00"}},
        {"fact": {"data": []}, "lastUpdated": "0001-01-01T00:00:00+05:00"},
        {"fact": {"data": []}, "preset": {"data": {"GPV1.1": {"4": {"1": [1]}}}}},
        {"6.2": {"today": None, "updatedOn": "0001-01-01T00:00:00+05:00"}},
    ],
)
def test_crashes_found_by_the_properties_stay_fixed(doc: object) -> None:
    parse_document(doc, region="t")


# --- (2) random valid documents: maximal spans that rebuild the cells exactly ----------------


def _key(day: date) -> str:
    return str(int(datetime.combine(day, time(), KYIV).timestamp()))


def _cells(codes: dict[str, str], table: dict[str, tuple[int, int]]) -> list[bool]:
    cells = [False] * 48
    for hour, code in codes.items():
        if code in table:
            first = (int(hour) - 1) * 2
            cells[first] = cells[first] or bool(table[code][0])
            cells[first + 1] = cells[first + 1] or bool(table[code][1])
    return cells


def _mask(spans: tuple[Span, ...]) -> list[bool]:
    return [any(s.start <= cell * 30 < s.end for s in spans) for cell in range(48)]


HOURS = [str(h) for h in range(1, 25)]
fact_hours = st.lists(
    st.sampled_from(["yes", "yes", "no", "no", "first", "second", "maybe", "mfirst", "msecond"]),
    min_size=24,
    max_size=24,
).map(lambda codes: dict(zip(HOURS, codes, strict=True)))
preset_hours = st.lists(
    st.sampled_from(["yes", "maybe", "mfirst", "msecond"]), min_size=24, max_size=24
).map(lambda codes: dict(zip(HOURS, codes, strict=True)))


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    groups = draw(
        st.lists(
            st.tuples(st.sampled_from([1, 2, 3, 6, 10, 36, 60, 1001]), st.integers(1, 2)).map(
                lambda g: f"GPV{g[0]}.{g[1]}"
            ),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    first = draw(st.dates(date(2024, 1, 1), date(2027, 12, 30)))
    days = [first + timedelta(days=i) for i in range(draw(st.integers(1, 2)))]
    data = {_key(day): {group: draw(fact_hours) for group in groups} for day in days}
    weeks = {
        group: draw(st.dictionaries(st.sampled_from("1234567"), preset_hours, max_size=7))
        for group in draw(st.lists(st.sampled_from(groups), unique=True))
    }
    return {
        "fact": {"data": data, "today": int(_key(first)), "update": "06.11.2025 20:24"},
        "preset": {"data": weeks},
    }


def _check_spans(spans: tuple[Span, ...]) -> None:
    for span in spans:
        assert 0 <= span.start < span.end <= MINUTES_PER_DAY
        assert span.start % 30 == 0 and span.end % 30 == 0
    for before, after in itertools.pairwise(spans):
        assert before.end < after.start  # sorted, disjoint and not touching


@FAST
@given(valid_documents())
def test_valid_documents_give_maximal_spans_matching_the_cells(doc: dict[str, Any]) -> None:
    snapshot = parse_dtek(doc, region="t")
    assert snapshot.warnings == ()
    data, weeks = doc["fact"]["data"], doc["preset"]["data"]
    assert [f"GPV{q}" for q in snapshot.queues] == sorted(
        {g for groups in data.values() for g in groups},
        key=lambda g: tuple(int(p) for p in g[3:].split(".")),
    )
    for queue in snapshot.queues.values():
        assert [_key(d.date) for d in queue.days] == list(data)
        for day in queue.days:
            codes = data[_key(day.date)][f"GPV{queue.queue}"]
            weekly = weeks.get(f"GPV{queue.queue}", {}).get(str(day.date.isoweekday()), {})
            _check_spans(day.outages)
            _check_spans(day.possible)
            assert _mask(day.outages) == _cells(codes, FACT_CODES)
            possible = zip(_cells(codes, MAYBE_CODES), _cells(weekly, MAYBE_CODES), strict=True)
            assert _mask(day.possible) == [a or b for a, b in possible]


# --- (3) no change against itself -----------------------------------------------------------

spans = st.lists(
    st.tuples(st.integers(0, MINUTES_PER_DAY - 1), st.integers(1, MINUTES_PER_DAY)).map(
        lambda t: Span(min(t[0], t[1] - 1), max(t[0] + 1, t[1]))
    ),
    max_size=8,
)


@FAST
@given(spans)
def test_diff_of_a_day_with_itself_is_empty(raw: list[Span]) -> None:
    merged = merge_spans(raw)
    diff = diff_spans(merged, merged)
    assert not diff
    assert (diff.added, diff.removed, diff.shifted) == ((), (), ())
    assert diff.coverage() == ((), ())
    assert diff.describe() == ""


@FAST
@given(valid_documents())
def test_checking_the_same_document_twice_changes_nothing(doc: dict[str, Any]) -> None:
    first = parse_dtek(doc, region="t")
    again = parse_dtek(json.loads(json.dumps(doc)), region="t")
    assert first.today is not None
    for queue, schedule in first.queues.items():
        baseline = check_queue(None, schedule, first.today)
        assert baseline.decision is Decision.BASELINE
        assert baseline.changes == ()
        assert baseline.keep is not None
        second = check_queue(baseline.keep, again.queues[queue], first.today)
        assert second.decision is Decision.NO_CHANGE
        assert second.changes == ()
        assert second.keep == baseline.keep


# --- (4) merge_spans ------------------------------------------------------------------------


def _minutes(items: list[Span] | tuple[Span, ...]) -> set[int]:
    return {m for s in items for m in range(s.start, s.end)}


@FAST
@given(spans)
def test_merge_spans_is_idempotent_and_keeps_coverage(raw: list[Span]) -> None:
    merged = merge_spans(raw)
    assert merge_spans(merged) == merged
    assert merge_spans(reversed(raw)) == merged
    assert _minutes(merged) == _minutes(raw)
    for before, after in itertools.pairwise(merged):
        assert before.end < after.start


@FAST
@given(st.lists(st.booleans(), max_size=96), st.sampled_from([1, 15, 30]))
def test_spans_from_mask_round_trip(mask: list[bool], step: int) -> None:
    mask = mask[: MINUTES_PER_DAY // step]
    result = spans_from_mask(mask, step)
    assert merge_spans(result) == result
    rebuilt = [any(s.start <= i * step < s.end for s in result) for i in range(len(mask))]
    assert rebuilt == mask
