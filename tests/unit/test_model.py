"""The normalized schedule model: spans, masks, queue ids and wall-clock instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.model import (
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    Span,
    format_minute,
    local_date,
    merge_spans,
    normalize_queue,
    parse_iso_utc,
    queue_sort_key,
    real_minutes,
    span_instants,
    spans_from_mask,
    wall_instant,
)

KYIV = ZoneInfo("Europe/Kyiv")
SPRING = date(2026, 3, 29)  # 03:00 EET -> 04:00 EEST, a 23-hour day
AUTUMN = date(2026, 10, 25)  # 04:00 EEST -> 03:00 EET, a 25-hour day


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end"),
    [(-30, 60), (60, 60), (90, 60), (0, 1441), (1440, 1470), (-1, 0)],
)
def test_span_rejects_out_of_range(start: int, end: int) -> None:
    with pytest.raises(ValueError, match=rf"span out of range: {start}\.\.{end}"):
        Span(start, end)


@pytest.mark.parametrize(
    ("span", "minutes", "label"),
    [
        (Span(0, 1440), 1440, "00:00–24:00"),
        (Span(1170, 1230), 60, "19:30–20:30"),
        (Span(930, 960), 30, "15:30–16:00"),
        (Span(0, 1), 1, "00:00–00:01"),
    ],
)
def test_span_minutes_and_label(span: Span, minutes: int, label: str) -> None:
    assert span.minutes == minutes
    assert span.label() == label


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (Span(0, 60), Span(30, 90), True),
        (Span(0, 60), Span(60, 90), False),  # touching is not overlapping
        (Span(0, 1440), Span(600, 630), True),
        (Span(600, 630), Span(0, 60), False),
    ],
)
def test_span_overlaps_is_symmetric(a: Span, b: Span, overlap: bool) -> None:
    assert a.overlaps(b) is overlap
    assert b.overlaps(a) is overlap


@pytest.mark.parametrize(
    ("minute", "text"),
    [(0, "00:00"), (30, "00:30"), (90, "01:30"), (1410, "23:30"), (1439, "23:59"), (1440, "24:00")],
)
def test_format_minute(minute: int, text: str) -> None:
    assert format_minute(minute) == text


@pytest.mark.parametrize(
    ("spans", "merged"),
    [
        ([], ()),
        ([Span(60, 120)], (Span(60, 120),)),
        ([Span(120, 180), Span(0, 60)], (Span(0, 60), Span(120, 180))),  # sorted
        ([Span(0, 60), Span(60, 90)], (Span(0, 90),)),  # touching merges
        ([Span(0, 60), Span(30, 45)], (Span(0, 60),)),  # contained
        ([Span(0, 60), Span(30, 120), Span(120, 150)], (Span(0, 150),)),  # chain
        ([Span(10, 20), Span(10, 20)], (Span(10, 20),)),  # duplicate
        ([Span(1410, 1440), Span(0, 30)], (Span(0, 30), Span(1410, 1440))),  # no wrap
    ],
)
def test_merge_spans(spans: list[Span], merged: tuple[Span, ...]) -> None:
    assert merge_spans(spans) == merged
    assert merge_spans(merged) == merged


def _mask(text: str) -> list[bool]:
    return [c == "#" for c in text]


@pytest.mark.parametrize(
    ("cells", "step", "spans"),
    [
        ("", 30, ()),
        ("....", 30, ()),
        ("####", 30, (Span(0, 120),)),
        ("#..#", 30, (Span(0, 30), Span(90, 120))),
        (".##.", 30, (Span(30, 90),)),
        ("..##", 60, (Span(120, 240),)),  # trailing run closes at the end of the mask
        ("#" * 48, 30, (Span(0, 1440),)),
        ("." * 47 + "#", 30, (Span(1410, 1440),)),
        ("#.#", 1, (Span(0, 1), Span(2, 3))),
    ],
)
def test_spans_from_mask(cells: str, step: int, spans: tuple[Span, ...]) -> None:
    assert spans_from_mask(_mask(cells), step) == spans


@pytest.mark.parametrize(
    ("text", "queue"),
    [
        ("GPV3.1", "3.1"),
        ("gpv3.1", "3.1"),
        ("Gpv36.1", "36.1"),
        ("GPV1001.2", "1001.2"),
        ("3.1", "3.1"),
        (" 3.1 ", "3.1"),
        ("3-1", "3.1"),
        ("3_1", "3.1"),
        (" GPV60-2\n", "60.2"),
        ("6.2", "6.2"),
    ],
)
def test_normalize_queue(text: str, queue: str) -> None:
    assert normalize_queue(text) == queue


def test_normalize_queue_strips_only_the_gpv_prefix() -> None:
    # A region-prefixed id is not a queue id; it is kept (with separators mapped), not guessed.
    assert normalize_queue("kyiv_3-1") == "kyiv.3.1"
    assert normalize_queue("Черга 3.1") == "Черга 3.1"


def test_queue_sort_key_is_numeric_then_text() -> None:
    queues = ["10.1", "1.2", "kyiv.3.1", "2.1", "1001.1", "1.1", "60.2", "6.2"]
    ordered = sorted(queues, key=queue_sort_key)
    assert ordered == ["1.1", "1.2", "2.1", "6.2", "10.1", "60.2", "1001.1", "kyiv.3.1"]


@pytest.mark.parametrize(
    ("day", "minute", "instant"),
    [
        (date(2025, 11, 6), 0, "2025-11-05T22:00"),
        (date(2025, 11, 6), 1170, "2025-11-06T17:30"),
        (date(2025, 11, 6), 1440, "2025-11-06T22:00"),  # 24:00 = next local midnight
        (date(2025, 7, 1), 0, "2025-06-30T21:00"),  # summer: +03:00
        (SPRING, 0, "2026-03-28T22:00"),
        (SPRING, 120, "2026-03-29T00:00"),  # 02:00+02:00
        (SPRING, 180, "2026-03-29T01:00"),  # 03:00 does not exist -> 04:00+03:00
        (SPRING, 210, "2026-03-29T01:00"),  # 03:30 does not exist -> 04:00+03:00
        (SPRING, 240, "2026-03-29T01:00"),  # 04:00+03:00
        (SPRING, 1440, "2026-03-29T21:00"),
        (AUTUMN, 0, "2026-10-24T21:00"),
        (AUTUMN, 120, "2026-10-24T23:00"),  # 02:00+03:00
        (AUTUMN, 180, "2026-10-25T00:00"),  # 03:00 twice -> first occurrence (+03:00)
        (AUTUMN, 210, "2026-10-25T00:30"),
        (AUTUMN, 240, "2026-10-25T02:00"),  # 04:00+02:00
        (AUTUMN, 1440, "2026-10-25T22:00"),
    ],
)
def test_wall_instant(day: date, minute: int, instant: str) -> None:
    value = wall_instant(day, minute, KYIV)
    assert value == utc(instant)
    assert value.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("day", "span", "instants"),
    [
        (date(2025, 11, 6), Span(1170, 1230), ("2025-11-06T17:30", "2025-11-06T18:30")),
        (SPRING, Span(120, 240), ("2026-03-29T00:00", "2026-03-29T01:00")),  # 1 real hour
        (SPRING, Span(180, 240), None),  # wholly inside the skipped hour
        (SPRING, Span(180, 210), None),
        (AUTUMN, Span(120, 240), ("2026-10-24T23:00", "2026-10-25T02:00")),  # 3 real hours
    ],
)
def test_span_instants(day: date, span: Span, instants: tuple[str, str] | None) -> None:
    expected = None if instants is None else (utc(instants[0]), utc(instants[1]))
    assert span_instants(day, span, KYIV) == expected


@pytest.mark.parametrize(
    ("day", "spans", "minutes"),
    [
        (date(2025, 11, 6), [Span(0, 1440)], 1440),
        (SPRING, [Span(0, 1440)], 1380),
        (AUTUMN, [Span(0, 1440)], 1500),
        (SPRING, [Span(120, 240), Span(600, 660)], 120),
        (AUTUMN, [Span(120, 240), Span(600, 660)], 240),
        (SPRING, [Span(180, 240)], 0),
    ],
)
def test_real_minutes(day: date, spans: list[Span], minutes: int) -> None:
    assert real_minutes(day, spans, KYIV) == minutes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-09T08:38:17.916Z", datetime(2025, 11, 9, 8, 38, 17, 916000, tzinfo=UTC)),
        ("2025-12-26T10:05:25+00:00", datetime(2025, 12, 26, 10, 5, 25, tzinfo=UTC)),
        ("2025-12-26T12:05:25+02:00", datetime(2025, 12, 26, 10, 5, 25, tzinfo=UTC)),
        ("2025-12-26T10:05:25", datetime(2025, 12, 26, 10, 5, 25, tzinfo=UTC)),  # naive = UTC
        ("", None),
        ("yesterday", None),
        (None, None),
        (1762380000, None),
        ("0001-01-01T00:00:00+05:00", None),  # before year 1 in UTC
    ],
)
def test_parse_iso_utc(text: object, expected: datetime | None) -> None:
    assert parse_iso_utc(text) == expected


def test_local_date_uses_the_zone() -> None:
    assert local_date(utc("2025-11-12T22:07:59"), KYIV) == date(2025, 11, 13)
    assert local_date(utc("2025-11-12T21:59:59"), KYIV) == date(2025, 11, 12)


def test_day_schedule_properties() -> None:
    day = DaySchedule(date(2025, 11, 6), DayState.PUBLISHED, (Span(0, 60), Span(1170, 1230)))
    assert day.published
    assert day.outage_minutes == 120
    assert day.canonical() == "2025-11-06|published|0-60,1170-1230"
    pending = DaySchedule(date(2025, 11, 7), DayState.PENDING, possible=(Span(0, 60),))
    assert not pending.published
    assert pending.outage_minutes == 0
    assert pending.canonical() == "2025-11-07|pending|"
    assert DaySchedule(date(2025, 11, 7), DayState.EMERGENCY).published


def test_queue_schedule_day_by_date() -> None:
    today = DaySchedule(date(2025, 11, 6), DayState.PUBLISHED)
    tomorrow = DaySchedule(date(2025, 11, 7), DayState.PENDING)
    queue = QueueSchedule("3.1", "Черга 3.1", (today, tomorrow))
    assert queue.day(date(2025, 11, 7)) is tomorrow
    assert queue.day(date(2025, 11, 8)) is None


def test_region_snapshot_observed_at_prefers_the_last_check() -> None:
    checked, fetched, updated = (
        utc("2025-11-07T19:36:03"),
        utc("2025-11-07T17:51:24"),
        utc("2025-11-07T17:24:00"),
    )
    full = RegionSnapshot("kyiv", "Europe/Kyiv", {}, checked_at=checked, fetched_at=fetched)
    assert full.observed_at == checked
    assert RegionSnapshot("kyiv", "Europe/Kyiv", {}, fetched_at=fetched).observed_at == fetched
    only = RegionSnapshot("kyiv", "Europe/Kyiv", {}, data_updated_at=updated)
    assert only.observed_at == updated
    assert RegionSnapshot("kyiv", "Europe/Kyiv", {}).observed_at is None
    assert full.zone == KYIV
