"""DTEK ``fact`` / ``preset`` parsing against the edge cases of the real data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.dtek import parse_dtek
from esvitlo.domain.export import queue_document
from esvitlo.domain.model import (
    DataStatus,
    DayState,
    RegionSnapshot,
    ScheduleFormatError,
    Span,
)

from fixture_files import fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")


@cache
def _real(path: str) -> RegionSnapshot:
    """A fixture file below shared/fixtures, parsed once per test run."""
    doc = json.loads((fixtures_dir() / path).read_text(encoding="utf-8"))
    return parse_dtek(doc, region=path.split("/")[-2])


def labels(spans: tuple[Span, ...]) -> list[str]:
    return [span.label() for span in spans]


def key(day: date) -> str:
    """The Unix time of the local Kyiv midnight of a date, as a ``fact.data`` key."""
    return str(int(datetime.combine(day, time(), KYIV).timestamp()))


def document(
    days: Mapping[date, Mapping[str, Mapping[str, object]]],
    *,
    today: date | None = None,
    preset: object = None,
    **top: object,
) -> dict[str, Any]:
    """A minimal DTEK document; hours not given are ``yes``."""
    data = {
        key(day): {
            group: {str(h): hours.get(str(h), "yes") for h in range(1, 25)}
            for group, hours in groups.items()
        }
        for day, groups in days.items()
    }
    fact: dict[str, object] = {"data": data, "update": "06.11.2025 20:24"}
    if today is not None:
        fact["today"] = int(key(today))
    doc: dict[str, Any] = {"regionId": "test", "fact": fact, **top}
    if preset is not None:
        doc["preset"] = preset
    return doc


D1, D2 = date(2025, 11, 6), date(2025, 11, 7)


# --- half-hour edge patterns seen in the real files ---------------------------------------


@pytest.mark.parametrize(
    ("path", "queue", "day", "outages"),
    [
        # "second" (20) followed by "first" (21) is one continuous outage
        ("outage-data-ua/dnipro/2025-11-06T1845_a044.json", "1.2", D1, ["19:30–20:30"]),
        ("outage-data-ua/dnipro/2025-11-06T1845_a044.json", "1.2", D2, ["17:00–21:00"]),
        # "second","second" (11, 12) then "no" (13, 14)
        (
            "outage-data-ua/dnipro/2025-11-09T1051_a273.json",
            "1.2",
            date(2025, 11, 9),
            ["00:00–03:30", "10:30–11:00", "11:30–14:00", "21:00–24:00"],
        ),
        # lone "second" in hour 16 inside a "yes" block
        (
            "outage-data-ua/kyiv/2025-11-23T2008_a1479.json",
            "1.1",
            date(2025, 11, 24),
            ["00:00–02:00", "08:30–12:30", "15:30–16:00"],
        ),
        # outage running to 24:00 ("second" at 22, "no" at 23 and 24)
        (
            "outage-data-ua/kyiv/2025-11-15T2149_a823.json",
            "5.1",
            date(2025, 11, 15),
            ["00:30–04:30", "11:00–12:00", "21:30–24:00"],
        ),
        # ... and continuing at hour 1 of the next day
        (
            "outage-data-ua/kyiv/2025-11-23T2008_a1479.json",
            "1.1",
            date(2025, 11, 23),
            ["01:00–05:00", "22:00–24:00"],
        ),
        # OE_OUTAGE_DATA: "no" blocks, the last one to 24:00
        (
            "oe-outage-data/Zhytomyroblenergo_2026-02-27T0435.json",
            "2.2",
            date(2026, 2, 27),
            ["03:00–06:00", "08:00–12:00", "14:00–18:00", "20:00–24:00"],
        ),
    ],
)
def test_real_outage_spans(path: str, queue: str, day: date, outages: list[str]) -> None:
    schedule = _real(path).queues[queue].day(day)
    assert schedule is not None
    assert schedule.state is DayState.PUBLISHED
    assert labels(schedule.outages) == outages


def test_second_then_first_is_one_span() -> None:
    day = _real("outage-data-ua/dnipro/2025-11-06T1845_a044.json").queues["1.2"].days[0]
    assert day.outages == (Span(19 * 60 + 30, 20 * 60 + 30),)


def test_outage_to_midnight_ends_at_1440() -> None:
    snapshot = _real("outage-data-ua/kyiv/2025-11-23T2008_a1479.json")
    today = snapshot.queues["1.1"].day(date(2025, 11, 23))
    tomorrow = snapshot.queues["1.1"].day(date(2025, 11, 24))
    assert today is not None and tomorrow is not None
    assert today.outages[-1] == Span(1320, 1440)
    assert tomorrow.outages[0] == Span(0, 120)  # continues across midnight


@pytest.mark.parametrize(
    ("hours", "outages"),
    [
        ({"20": "second", "21": "first"}, [Span(1170, 1230)]),
        ({"11": "second", "12": "second", "13": "no"}, [Span(630, 660), Span(690, 780)]),
        ({"16": "second"}, [Span(930, 960)]),
        ({"16": "first"}, [Span(900, 930)]),
        ({"1": "no", "24": "no"}, [Span(0, 60), Span(1380, 1440)]),
        ({"24": "second"}, [Span(1410, 1440)]),
        ({"1": "first", "2": "second"}, [Span(0, 30), Span(90, 120)]),
        ({str(h): "no" for h in range(1, 25)}, [Span(0, 1440)]),
        ({}, []),
    ],
)
def test_synthetic_half_hours(hours: dict[str, str], outages: list[Span]) -> None:
    snapshot = parse_dtek(document({D1: {"GPV1.1": hours}}, today=D1), region="t")
    assert snapshot.queues["1.1"].days[0].outages == tuple(outages)
    assert snapshot.warnings == ()


# --- days identified by their Kyiv date ---------------------------------------------------


def test_days_by_kyiv_date_after_midnight_rollover() -> None:
    # kyiv a570: written at 22:07Z = 00:07 Kyiv; DTEK's today has already rolled to 13.11
    path = "outage-data-ua/kyiv/2025-11-12T2207_a570.json"
    raw = json.loads((fixtures_dir() / path).read_text(encoding="utf-8"))
    keys = list(raw["fact"]["data"])
    assert keys == ["1762984800", "1763071200"]
    assert datetime.fromtimestamp(int(keys[0]), UTC) == datetime(2025, 11, 12, 22, 0, tzinfo=UTC)
    snapshot = _real(path)
    assert snapshot.today == date(2025, 11, 13)
    assert [d.date for d in snapshot.queues["1.1"].days] == [date(2025, 11, 13), date(2025, 11, 14)]
    assert snapshot.fetched_at == datetime(2025, 11, 12, 22, 7, 59, 635000, tzinfo=UTC)


def test_day_order_comes_from_the_dates_not_the_key_order() -> None:
    doc = document({D2: {"GPV1.1": {"2": "no"}}, D1: {"GPV1.1": {"1": "no"}}}, today=D1)
    days = parse_dtek(doc, region="t").queues["1.1"].days
    assert [(d.date, d.outages) for d in days] == [(D1, (Span(0, 60),)), (D2, (Span(60, 120),))]


def test_today_falls_back_to_the_first_day() -> None:
    doc = document({D2: {"GPV1.1": {}}, D1: {"GPV1.1": {}}})
    assert parse_dtek(doc, region="t").today == D1


def test_a_day_before_today_is_kept_as_published() -> None:
    # DTEK lag: the first key is yesterday; it is a date of its own, not "today"
    yesterday = date(2025, 11, 5)
    doc = document({yesterday: {"GPV1.1": {}}, D1: {"GPV1.1": {"3": "no"}}}, today=D1)
    days = parse_dtek(doc, region="t").queues["1.1"].days
    assert [(d.date, d.state) for d in days] == [
        (yesterday, DayState.PUBLISHED),
        (D1, DayState.PUBLISHED),
    ]


# --- empty fact, one-day files, names, queue ids ------------------------------------------


def test_empty_fact_lists_every_preset_queue_without_days() -> None:
    snapshot = _real("outage-data-ua/dnipro/2026-08-21T2351_a30165_empty_fact.json")
    assert len(snapshot.queues) == 24
    assert list(snapshot.queues)[:3] == ["1.1", "1.2", "2.1"]
    assert list(snapshot.queues)[-2:] == ["1006.1", "1006.2"]
    assert snapshot.queues["1001.1"].name == "ЦЕК 1.1"
    assert snapshot.queues["6.2"].name == "Черга 6.2"
    assert all(q.days == () for q in snapshot.queues.values())
    assert snapshot.today == date(2026, 8, 22)
    assert snapshot.data_updated_at == datetime(2026, 7, 24, 5, 30, tzinfo=UTC)  # 08:30 EEST
    assert snapshot.source_ok


def test_one_day_oe_file() -> None:
    snapshot = _real("oe-outage-data/Zhytomyroblenergo_2026-02-27T0435.json")
    assert list(snapshot.queues) == [f"{a}.{b}" for a in range(1, 7) for b in (1, 2)]
    for queue in snapshot.queues.values():
        assert queue.name is None
        assert [d.date for d in queue.days] == [date(2026, 2, 27)]
        assert queue.days[0].state is DayState.PUBLISHED
        assert queue.days[0].possible == ()
    assert snapshot.today == date(2026, 2, 27)
    assert snapshot.data_updated_at == datetime(2026, 2, 27, 4, 30, tzinfo=UTC)
    assert snapshot.checked_at is None
    assert snapshot.source_ok and snapshot.warnings == ()


def test_queue_ids_are_normalized_and_sorted_numerically() -> None:
    groups = {g: {} for g in ("GPV10.1", "GPV3.1", "GPV1.2", "GPV1001.1", "GPV1.1")}
    snapshot = parse_dtek(document({D1: groups}, today=D1), region="t")
    assert list(snapshot.queues) == ["1.1", "1.2", "3.1", "10.1", "1001.1"]
    assert snapshot.queues["3.1"].queue == "3.1"


def test_names_from_sch_names() -> None:
    preset = {"sch_names": {"GPV7.1": "Група 7.1", "GPV1.1": "Черга 1.1", "GPV9.9": 5}}
    doc = document({D1: {"GPV1.1": {}, "GPV7.1": {}}}, today=D1, preset=preset)
    queues = parse_dtek(doc, region="t").queues
    assert (queues["1.1"].name, queues["7.1"].name) == ("Черга 1.1", "Група 7.1")


# --- unknown codes and keys ---------------------------------------------------------------


def test_unknown_codes_keep_the_day_and_are_told_not_crashes() -> None:
    hours = {"1": "no", "2": "blackout", "3": None, "4": ["no"], "5": "second"}
    snapshot = parse_dtek(document({D1: {"GPV1.1": hours}}, today=D1), region="t")
    day = snapshot.queues["1.1"].days[0]
    assert day.outages == (Span(0, 60), Span(270, 300))
    assert day.unreadable == (Span(60, 240),)
    assert [(v.kind, v.queue, v.day, v.value) for v in snapshot.unreadable] == [
        ("hour_value", "1.1", D1, "'blackout'"),
        ("hour_value", "1.1", D1, "None"),
        ("hour_value", "1.1", D1, "['no']"),
    ]
    assert snapshot.warnings == ()  # told once, as unreadable values


def test_unexpected_hour_keys_are_warnings() -> None:
    raw = document({D1: {"GPV1.1": {"1": "no"}}}, today=D1)
    raw["fact"]["data"][key(D1)]["GPV1.1"].update({"25": "no", "0": "no"})
    snapshot = parse_dtek(raw, region="t")
    assert snapshot.queues["1.1"].days[0].outages == (Span(0, 60),)
    assert sorted(w.split(": ")[-1] for w in snapshot.warnings) == [
        "unexpected hour key '0' ignored",
        "unexpected hour key '25' ignored",
    ]


def test_unreadable_update_is_a_warning() -> None:
    raw = document({D1: {"GPV1.1": {}}}, today=D1)
    raw["fact"]["update"] = "yesterday evening"
    snapshot = parse_dtek(raw, region="t")
    assert snapshot.data_updated_at is None
    assert snapshot.warnings == (
        "fact.update 'yesterday evening' is not dd.mm.yyyy HH:MM; ignored",
    )


# --- the possible layer -------------------------------------------------------------------


def test_maybe_codes_in_fact_go_to_the_possible_layer() -> None:
    hours = {"5": "maybe", "6": "mfirst", "8": "msecond", "9": "no"}
    day = parse_dtek(document({D1: {"GPV1.1": hours}}, today=D1), region="t").queues["1.1"].days[0]
    assert day.outages == (Span(480, 540),)
    assert day.possible == (Span(240, 330), Span(450, 480))


def test_weekly_preset_by_iso_weekday_synthetic() -> None:
    assert (D1.isoweekday(), D2.isoweekday()) == (4, 5)
    preset = {
        "data": {
            "GPV1.1": {
                "4": {"1": "maybe", "2": "mfirst"},
                "5": {"24": "msecond"},
                "6": {str(h): "maybe" for h in range(1, 25)},
            }
        }
    }
    doc = document({D1: {"GPV1.1": {"1": "no"}}, D2: {"GPV1.1": {}}}, today=D1, preset=preset)
    days = parse_dtek(doc, region="t").queues["1.1"].days
    assert [d.possible for d in days] == [(Span(0, 90),), (Span(1410, 1440),)]
    assert days[0].outages == (Span(0, 60),)  # the layers are kept apart


def test_weekly_preset_and_fact_maybe_codes_combine() -> None:
    preset = {"data": {"GPV1.1": {"4": {"3": "maybe"}}}}
    doc = document({D1: {"GPV1.1": {"4": "mfirst"}}}, today=D1, preset=preset)
    day = parse_dtek(doc, region="t").queues["1.1"].days[0]
    assert day.possible == (Span(120, 210),)


@pytest.mark.parametrize(
    ("day", "possible"),
    [
        (D1, ["00:00–06:30", "10:00–17:00", "20:30–24:00"]),  # Thursday = preset "4"
        (D2, ["00:00–03:30", "07:00–14:00", "17:30–24:00"]),  # Friday = preset "5"
    ],
)
def test_weekly_preset_real(day: date, possible: list[str]) -> None:
    queue = _real("outage-data-ua/kyiv/2025-11-06T1845_a045.json").queues["1.1"]
    schedule = queue.day(day)
    assert schedule is not None
    assert labels(schedule.possible) == possible


def test_bad_preset_parts_are_warnings() -> None:
    preset = {"data": {"GPV1.1": "weekly", "GPV2.1": {"4": ["x"]}}}
    doc = document({D1: {"GPV1.1": {}, "GPV2.1": {}}}, today=D1, preset=preset)
    snapshot = parse_dtek(doc, region="t")
    assert [d.possible for q in snapshot.queues.values() for d in q.days] == [(), ()]
    assert snapshot.warnings == (
        "preset.data.GPV1.1: not an object; ignored",
        "preset.data.GPV2.1[4]: expected an object of hours, got list; ignored",
    )
    odd = parse_dtek(document({D1: {"GPV1.1": {}}}, today=D1, preset={"data": []}), region="t")
    assert odd.warnings == ("preset.data is not an object; possible outages ignored",)


# --- pending tomorrow ---------------------------------------------------------------------


def test_all_yes_tomorrow_is_pending() -> None:
    snapshot = _real("outage-data-ua/kyiv/2025-11-15T1350_a791.json")
    for queue in snapshot.queues.values():
        today, tomorrow = queue.days
        assert (today.date, today.state) == (date(2025, 11, 15), DayState.PUBLISHED)
        assert (tomorrow.date, tomorrow.state) == (date(2025, 11, 16), DayState.PENDING)
        assert not tomorrow.published
        assert tomorrow.outages == ()
        assert tomorrow.possible  # the weekly layer is still there


@pytest.mark.parametrize(
    ("path", "queue", "day"),
    [
        ("outage-data-ua/kyiv/2025-11-07T1936_a134_error.json", "2.2", date(2025, 11, 8)),
        ("outage-data-ua/kyiv/2025-11-07T1936_a134_error.json", "6.1", date(2025, 11, 8)),
        ("outage-data-ua/dnipro/2025-11-06T1845_a044.json", "2.2", date(2025, 11, 7)),
    ],
)
def test_published_tomorrow_without_outages_in_this_queue(path: str, queue: str, day: date) -> None:
    snapshot = _real(path)
    schedule = snapshot.queues[queue].day(day)
    assert schedule is not None
    assert schedule.state is DayState.PUBLISHED
    assert schedule.outages == ()
    assert any(d.outages for q in snapshot.queues.values() for d in q.days if d.date == day)


def test_pending_synthetic() -> None:
    doc = document({D1: {"GPV1.1": {"1": "no"}, "GPV1.2": {}}, D2: {"GPV1.1": {}, "GPV1.2": {}}})
    snapshot = parse_dtek(doc, region="t")
    assert [d.state for d in snapshot.queues["1.2"].days] == [DayState.PUBLISHED, DayState.PENDING]
    doc = document({D1: {"GPV1.1": {}}, D2: {"GPV1.1": {}, "GPV1.2": {"9": "first"}}}, today=D1)
    snapshot = parse_dtek(doc, region="t")
    assert snapshot.queues["1.1"].days[1].state is DayState.PUBLISHED
    assert snapshot.queues["1.1"].days[1].outages == ()
    assert snapshot.queues["1.2"].days[0].outages == (Span(480, 510),)


def test_today_all_yes_is_published() -> None:
    doc = document({D1: {"GPV1.1": {}}}, today=D1)
    assert parse_dtek(doc, region="t").queues["1.1"].days[0].state is DayState.PUBLISHED


# --- source status and times --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "region"),
    [
        ("outage-data-ua/kyiv/2025-11-07T1936_a134_error.json", "kyiv"),
        ("outage-data-ua/kyiv/2025-11-09T1407_a286_error.json", "kyiv"),
        ("outage-data-ua/kyiv/2025-11-10T1539_a377_error.json", "kyiv"),
        ("outage-data-ua/dnipro/2025-11-07T1936_a133_error.json", "dnipro"),
        ("outage-data-ua/dnipro/2025-11-09T0633_a255_error.json", "dnipro"),
        ("outage-data-ua/dnipro/2025-11-10T1539_a376_error.json", "dnipro"),
    ],
)
def test_error_files_keep_data_and_message(path: str, region: str) -> None:
    snapshot = _real(path)
    assert snapshot.source_ok is False
    assert snapshot.source_message == (
        "Marker `DisconSchedule.fact =` not found in "
        f"/home/runner/work/outage-data-ua/outage-data-ua/outputs/{region}.html"
    )
    assert len(snapshot.queues) == 12
    assert any(d.outages for q in snapshot.queues.values() for d in q.days)


def test_error_file_times() -> None:
    snapshot = _real("outage-data-ua/kyiv/2025-11-07T1936_a134_error.json")
    assert snapshot.fetched_at == datetime(2025, 11, 7, 17, 51, 24, 701000, tzinfo=UTC)
    assert snapshot.checked_at == datetime(2025, 11, 7, 19, 36, 3, 909000, tzinfo=UTC)
    assert snapshot.observed_at == snapshot.checked_at
    assert snapshot.data_updated_at == datetime(2025, 11, 7, 17, 24, tzinfo=UTC)  # 19:24 Kyiv


def test_error_without_message_names_the_code() -> None:
    doc = document({D1: {"GPV1.1": {}}}, lastUpdateStatus={"status": "error", "code": 500})
    snapshot = parse_dtek(doc, region="t")
    assert (snapshot.source_ok, snapshot.source_message) == (False, "source error 500")


def test_parsed_files_are_ok() -> None:
    snapshot = _real("outage-data-ua/kyiv/2025-11-09T0633_a256.json")
    assert snapshot.source_ok and snapshot.source_message is None


@pytest.mark.parametrize(
    ("path", "updated"),
    [
        ("outage-data-ua/kyiv/2025-11-20T1526_a1212.json", datetime(2025, 11, 19, 19, 27)),
        ("outage-data-ua/kyiv/2025-11-09T0633_a256.json", datetime(2025, 11, 8, 20, 3)),
        ("outage-data-ua/dnipro/2025-11-06T1845_a044.json", datetime(2025, 11, 6, 18, 24)),
    ],
)
def test_fact_update_is_kyiv_local_time(path: str, updated: datetime) -> None:
    assert _real(path).data_updated_at == updated.replace(tzinfo=UTC)


def test_fact_update_in_summer_is_plus_three() -> None:
    raw = document({date(2026, 7, 1): {"GPV1.1": {}}})
    raw["fact"]["update"] = "01.07.2026 12:00"
    assert parse_dtek(raw, region="t").data_updated_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


# --- daylight-saving days -----------------------------------------------------------------

SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)


@pytest.mark.parametrize(
    ("day", "key_utc", "next_key_utc"),
    [
        (SPRING, "2026-03-28T22:00:00+00:00", "2026-03-29T21:00:00+00:00"),  # 23 h
        (AUTUMN, "2026-10-24T21:00:00+00:00", "2026-10-25T22:00:00+00:00"),  # 25 h
    ],
)
def test_dst_day_keys_are_local_midnights(day: date, key_utc: str, next_key_utc: str) -> None:
    today_key = datetime.fromtimestamp(int(key(day)), UTC).isoformat()
    next_day = day + timedelta(days=1)
    assert (today_key, datetime.fromtimestamp(int(key(next_day)), UTC).isoformat()) == (
        key_utc,
        next_key_utc,
    )
    doc = document({day: {"GPV1.1": {"3": "no"}}, next_day: {"GPV1.1": {"2": "no"}}}, today=day)
    snapshot = parse_dtek(doc, region="t")
    assert snapshot.today == day
    assert [d.date for d in snapshot.queues["1.1"].days] == [day, next_day]


@pytest.mark.parametrize(
    ("day", "start", "end", "real_hours"),
    [
        (SPRING, "2026-03-29T02:00:00+02:00", "2026-03-29T04:00:00+03:00", 1),
        (AUTUMN, "2026-10-25T02:00:00+03:00", "2026-10-25T04:00:00+02:00", 3),
        (date(2025, 11, 6), "2025-11-06T02:00:00+02:00", "2025-11-06T04:00:00+02:00", 2),
    ],
)
def test_dst_outage_hours_3_and_4(day: date, start: str, end: str, real_hours: int) -> None:
    snapshot = parse_dtek(
        document({day: {"GPV1.1": {"3": "no", "4": "no"}}}, today=day), region="t"
    )
    queue = snapshot.queues["1.1"]
    assert queue.days[0].outages == (Span(120, 240),)  # wall-clock 02:00–04:00
    out = queue_document("t", queue, DataStatus.FRESH, KYIV)
    assert out["days"][0]["date"] == day.isoformat()
    assert out["days"][0]["outages"] == [{"start": start, "end": end}]
    elapsed = datetime.fromisoformat(end) - datetime.fromisoformat(start)
    assert elapsed.total_seconds() == real_hours * 3600


@pytest.mark.parametrize("hours", [{"4": "no"}, {"4": "first"}, {"4": "second"}])
def test_slot_inside_the_skipped_hour_disappears(hours: dict[str, str]) -> None:
    doc = document({SPRING: {"GPV1.1": {**hours, "10": "no"}}}, today=SPRING)
    queue = parse_dtek(doc, region="t").queues["1.1"]
    assert len(queue.days[0].outages) == 2  # the model keeps the wall-clock span ...
    out = queue_document("t", queue, DataStatus.FRESH, KYIV)
    assert out["days"][0]["outages"] == [  # ... the instants cannot show it
        {"start": "2026-03-29T09:00:00+03:00", "end": "2026-03-29T10:00:00+03:00"}
    ]


def test_autumn_repeated_hour_is_shown_once() -> None:
    doc = document({AUTUMN: {"GPV1.1": {"4": "no"}}}, today=AUTUMN)  # wall 03:00–04:00
    out = queue_document("t", parse_dtek(doc, region="t").queues["1.1"], DataStatus.FRESH, KYIV)
    assert out["days"][0]["outages"] == [
        {"start": "2026-10-25T03:00:00+03:00", "end": "2026-10-25T04:00:00+02:00"}
    ]


# --- wrong shapes -------------------------------------------------------------------------


def _with_fact(fact: object) -> dict[str, object]:
    return {"regionId": "t", "fact": fact}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], r"^expected a JSON object, got list$"),
        ("kyiv", r"^expected a JSON object, got str$"),
        (None, r"^expected a JSON object, got null$"),
        ({"regionId": "kyiv"}, r"^fact: expected an object, got null$"),
        (_with_fact([]), r"^fact: expected an object, got list$"),
        (
            _with_fact({"update": "06.11.2025 20:24"}),
            r"^fact\.data: expected an object of days, got null$",
        ),
        (_with_fact({"data": "none"}), r"^fact\.data: expected an object of days, got str$"),
        (_with_fact({"data": 5}), r"^fact\.data: expected an object of days, got int$"),
        (
            _with_fact({"data": [{"GPV1.1": {}}]}),
            r"^fact\.data: expected an object of days or \[\]$",
        ),
        (_with_fact({"data": {"today": {}}}), r"^fact\.data: day key 'today' is not a Unix time$"),
        (_with_fact({"data": {"1762380000.5": {}}}), r"day key '1762380000\.5' is not a Unix time"),
        (_with_fact({"data": {"9" * 30: {}}}), r"day key '9+' is not a Unix time"),
        (
            _with_fact({"data": {"1762380000": [{"1": "no"}]}}),
            r"^fact\.data\[2025-11-06\]: expected an object of groups$",
        ),
        (
            _with_fact({"data": {"1762380000": {"GPV1.1": ["no"] * 24}}}),
            r"^fact\.data\[2025-11-06\]\.GPV1\.1: expected an object of hours, got list$",
        ),
        (
            _with_fact({"data": {"1762380000": {"GPV1.1": "no"}}}),
            r"^fact\.data\[2025-11-06\]\.GPV1\.1: expected an object of hours, got str$",
        ),
    ],
)
def test_wrong_shapes(doc: object, message: str) -> None:
    with pytest.raises(ScheduleFormatError, match=message):
        parse_dtek(doc, region="t")
