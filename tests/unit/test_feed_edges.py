"""Edge cases real feed files showed (issue 11, section 4): update times as Unix numbers,
stale banners that name their reason, hour values we cannot read, queues only the weekly
template knows. The documents are small ones under tests/fixtures/edge/."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from prometheus_client.parser import text_string_to_metric_families

from esvitlo.adapters.logs import template_fields
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.changes import Decision, check_queue, fingerprint
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.freshness import Freshness, FreshnessPolicy, StaleReason, judge
from esvitlo.domain.model import (
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    Span,
    parse_stamp,
)
from esvitlo.domain.render import format_duration, render_schedule
from esvitlo.domain.texts import texts_for
from esvitlo.ports import RegionCheck
from esvitlo.ports.schedules import Fetched
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.schedule_board import ScheduleBoard
from esvitlo.web.metrics import MetricSources, ServiceMetrics

from step_clock import StepClock

EDGE = Path(__file__).resolve().parents[1] / "fixtures" / "edge"
DTEK_FILE = EDGE / "dtek_epoch_unknown_template.json"
YASNO_FILE = EDGE / "yasno_epoch_unknown_type.json"
KYIV = ZoneInfo("Europe/Kyiv")
LANGS = ["uk", "en"]
D1, D2 = date(2025, 11, 6), date(2025, 11, 7)  # Thursday and Friday in the DTEK file
STAMP = datetime(2025, 11, 6, 18, 40, tzinfo=UTC)  # its lastUpdated and lastUpdateStatus.at


def edge(path: Path) -> RegionSnapshot:
    return parse_document(decode_json(path.read_bytes()), region="kyiv")


def text(
    lang: str,
    schedule: QueueSchedule | None,
    now: datetime,
    status: DataStatus = DataStatus.FRESH,
    **more: object,
) -> str:
    return render_schedule(
        texts_for(lang), schedule, queue="3.1", region="Київ", zone=KYIV, now=now,
        status=status, **more,  # type: ignore[arg-type]
    )  # fmt: skip


# --- update times as Unix numbers ---------------------------------------------------------

EPOCH = datetime(2024, 12, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1733443200, EPOCH),  # seconds
        (1733443200000, EPOCH),  # milliseconds
        ("1733443200", EPOCH),
        ("1733443200000", EPOCH),
        (" 1733443200 ", EPOCH),
        (1733443200.5, EPOCH + timedelta(milliseconds=500)),
        ("1733443200123", EPOCH + timedelta(milliseconds=123)),
        ("2024-12-06T00:00:00Z", EPOCH),
        ("2024-12-06T02:00:00+02:00", EPOCH),
    ],
)
def test_parse_stamp_reads_iso_text_and_unix_seconds_or_milliseconds(
    value: object, expected: datetime
) -> None:
    assert parse_stamp(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None, "", "yesterday", True, False, -1733443200, "-1733443200", 0, "0", 946684799,
        10**30, "9" * 400, 253_402_300_800_000, float("nan"), float("inf"), float("-inf"),
        "1e12", "²", [1733443200], {"at": 1733443200},
    ],
)  # fmt: skip
def test_parse_stamp_gives_none_for_what_cannot_be_an_update_time(value: object) -> None:
    assert parse_stamp(value) is None


def test_dtek_epoch_stamps_are_read_so_staleness_works() -> None:
    snapshot = edge(DTEK_FILE)  # lastUpdated in milliseconds, status.at in seconds as text
    assert (snapshot.fetched_at, snapshot.checked_at) == (STAMP, STAMP)
    assert judge(snapshot, STAMP + timedelta(hours=1)) == Freshness(DataStatus.FRESH)
    stale = judge(snapshot, STAMP + timedelta(hours=4))
    assert stale == Freshness(DataStatus.STALE, StaleReason.FETCH)


def test_yasno_epoch_updated_on_is_read_so_staleness_works() -> None:
    snapshot = edge(YASNO_FILE)
    updated = datetime(2025, 12, 26, 7, 30, tzinfo=UTC)
    assert snapshot.data_updated_at == updated
    stale = judge(snapshot, updated + timedelta(hours=49))
    assert stale == Freshness(DataStatus.STALE, StaleReason.OPERATOR)


# --- stale banners name their reason ------------------------------------------------------

NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fetched", "updated", "fetch_failed", "ok", "expected"),
    [
        (1, 1, False, True, Freshness(DataStatus.FRESH)),
        (1, 1, True, True, Freshness(DataStatus.STALE, StaleReason.FETCH)),
        (4, 1, False, True, Freshness(DataStatus.STALE, StaleReason.FETCH)),
        (4, 50, False, True, Freshness(DataStatus.STALE, StaleReason.FETCH)),  # ours first
        (1, 50, False, True, Freshness(DataStatus.STALE, StaleReason.OPERATOR)),
        (None, 50, False, True, Freshness(DataStatus.STALE, StaleReason.OPERATOR)),
        (None, None, False, True, Freshness(DataStatus.FRESH)),
        (4, 50, False, False, Freshness(DataStatus.SOURCE_ERROR)),
    ],
)
def test_judge_says_why_data_is_stale(
    fetched: int | None, updated: int | None, fetch_failed: bool, ok: bool, expected: Freshness
) -> None:
    def hours_ago(hours: int | None) -> datetime | None:
        return None if hours is None else NOW - timedelta(hours=hours)

    snapshot = RegionSnapshot(
        "kyiv", "Europe/Kyiv", {}, source_ok=ok,
        fetched_at=hours_ago(fetched), data_updated_at=hours_ago(updated),
    )  # fmt: skip
    assert judge(snapshot, NOW, FreshnessPolicy(), fetch_failed=fetch_failed) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_the_stale_banner_names_the_operators_time_or_our_fetch(lang: str) -> None:
    texts = texts_for(lang)
    today = DaySchedule(date(2025, 11, 20), DayState.PUBLISHED, (Span(480, 600),))
    schedule = QueueSchedule("3.1", None, (today,))
    updated = datetime(2025, 11, 17, 6, 5, tzinfo=UTC)  # 08:05 in Kyiv, three days ago
    fetched = datetime(2025, 11, 20, 9, 50, tzinfo=UTC)  # 11:50 in Kyiv, ten minutes ago
    times = {"updated_at": updated, "stale_since": fetched}
    operator = text(
        lang, schedule, NOW, DataStatus.STALE, **times, stale_reason=StaleReason.OPERATOR
    )
    assert texts.stale_operator.split("{")[0] in operator
    assert texts.stale_since.split("{")[0] not in operator
    banner = operator.split("\n")[1]
    assert "08:05" in banner and "11:50" not in banner  # the operator's time, not ours
    fetch = text(lang, schedule, NOW, DataStatus.STALE, **times, stale_reason=StaleReason.FETCH)
    assert texts.stale_operator.split("{")[0] not in fetch
    assert "11:50" in fetch.split("\n")[1]
    assert texts.fresh not in operator + fetch


async def test_the_board_hands_the_reason_to_the_schedule_screen() -> None:
    clock = StepClock()
    snapshot = RegionSnapshot(
        "kyiv", "Europe/Kyiv", {}, fetched_at=clock.now(),
        data_updated_at=clock.now() - timedelta(days=3),
    )  # fmt: skip

    async def refresh(region: str) -> RegionCheck:
        result = RegionCheck(region, snapshot, {}, False, "#1")
        await board.region_checked(result)
        return result

    board = ScheduleBoard(refresh, clock=clock)
    view = await board.view("kyiv", "3.1", clock.now())
    assert view is not None
    assert (view.status, view.stale_reason) == (DataStatus.STALE, StaleReason.OPERATOR)


@pytest.mark.parametrize("lang", LANGS)
def test_up_to_date_is_never_said_beside_no_data_for_the_day(lang: str) -> None:
    texts = texts_for(lang)
    tomorrow_only = QueueSchedule(
        "3.1", None, (DaySchedule(date(2025, 11, 21), DayState.PUBLISHED, (Span(60, 120),)),)
    )
    for schedule in (tomorrow_only, QueueSchedule("3.1", None, ()), None):
        shown = text(lang, schedule, NOW, updated_at=NOW)
        assert texts.missing_day in shown or texts.missing_queue in shown
        assert texts.fresh not in shown
    today = DaySchedule(date(2025, 11, 20), DayState.PUBLISHED, (Span(60, 120),))
    assert texts.fresh in text(lang, QueueSchedule("3.1", None, (today,)), NOW)


# --- hour values the parser does not know -------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_hour_value_keeps_the_day_and_is_shown_as_unreadable(lang: str) -> None:
    texts = texts_for(lang)
    snapshot = edge(DTEK_FILE)
    first = snapshot.queues["1.1"].day(D1)
    assert first is not None and first.state is DayState.PUBLISHED
    assert (first.outages, first.unreadable) == ((Span(540, 660),), (Span(120, 240),))
    shown = text(lang, snapshot.queues["1.1"], STAMP)
    line = texts.unreadable_line.format(intervals="02:00–04:00")
    assert line in shown.split("\n")
    assert "09:00–11:00" in shown  # the outages read are still there
    later = text(lang, snapshot.queues["1.2"], STAMP)  # tomorrow: 08:00 outage, 21:00 unknown
    assert texts.unreadable_line.format(intervals="21:00–22:00") in later
    assert "08:00–09:00" in later


@pytest.mark.parametrize("lang", LANGS)
def test_a_day_of_unreadable_hours_alone_does_not_claim_no_outages(lang: str) -> None:
    texts = texts_for(lang)
    on = date(2025, 11, 20)
    for state in (DayState.PUBLISHED, DayState.PENDING):
        day = DaySchedule(on, state, unreadable=(Span(60, 120), Span(600, 630)))
        shown = text(lang, QueueSchedule("3.1", None, (day,)), NOW)
        assert texts.unreadable_line.format(intervals="01:00–02:00, 10:00–10:30") in shown
        assert texts.no_outages not in shown


def test_a_yasno_slot_type_we_do_not_know_is_unreadable_not_dropped() -> None:
    snapshot = edge(YASNO_FILE)
    today = snapshot.queues["6.2"].days[0]
    assert today.outages == (Span(300, 390), Span(810, 1050))
    assert today.unreadable == (Span(600, 660),)
    assert [(v.kind, v.queue, v.value) for v in snapshot.unreadable] == [
        ("slot_type", "6.2", "'Blackout'")
    ]


def test_unreadable_hours_are_not_part_of_the_fingerprint() -> None:
    """Storage does not keep them; a glitch appearing or going away is not a change."""
    day = edge(DTEK_FILE).queues["1.1"].day(D1)
    assert day is not None and day.unreadable
    plain = replace(day, unreadable=())
    assert fingerprint(day) == fingerprint(plain)
    check = check_queue({D1: plain}, QueueSchedule("1.1", None, (day,)), D1)
    assert (check.decision, check.changes) == (Decision.NO_CHANGE, ())


class OneDocument:
    """A schedule source serving one file, then 304 Not Modified for its ETag."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        return Fetched(None, etag) if etag == "v1" else Fetched(self.body, "v1")


async def test_unknown_values_are_logged_with_region_queue_and_value_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    region = Region(
        "kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "http://127.0.0.1/k"),)
    )
    fetcher = RegionFetcher(region, OneDocument(DTEK_FILE.read_bytes()), StepClock())
    with caplog.at_level(logging.WARNING, logger="esvitlo"):
        await fetcher.fetch()
        await fetcher.fetch()  # 304: the same parse, told once
    told = [
        template_fields(str(r.msg), tuple(r.args or ()))
        for r in caplog.records
        if str(r.msg).startswith("schedule.unreadable_value ")
    ]  # the fields the JSON log event carries
    source = "http://127.0.0.1/k"
    assert told == [
        {"region": "kyiv", "source": source, "queue": "1.1", "kind": "hour_value",
         "value": "'blackout'", "dates": "2025-11-06"},
        {"region": "kyiv", "source": source, "queue": "1.2", "kind": "hour_value",
         "value": "'zzz'", "dates": "2025-11-07"},
    ]  # fmt: skip
    assert dict(fetcher.parse_warnings) == {"hour_value": 3, "document": 0}


async def test_parse_warnings_are_a_prometheus_counter_by_region_and_kind() -> None:
    counts = {("kyiv", "hour_value"): 3, ("kyiv", "document"): 0, ("odesa", "slot_type"): 1}
    metrics = ServiceMetrics(MetricSources(regions=dict, parse_warnings=lambda: counts))
    samples = {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families((await metrics.render()).decode())
        for s in family.samples
        if s.name == "schedule_parse_warnings_total"
    }
    assert samples == {
        (("kind", "hour_value"), ("region", "kyiv")): 3,
        (("kind", "document"), ("region", "kyiv")): 0,
        (("kind", "slot_type"), ("region", "odesa")): 1,
    }


# --- queues only the weekly template knows ------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_queue_only_the_template_knows_shows_its_possible_outages(lang: str) -> None:
    texts = texts_for(lang)
    queue = edge(DTEK_FILE).queues["7.1"]
    assert queue.name == "Черга 7.1"
    assert [(d.date, d.state, d.outages) for d in queue.days] == [
        (D1, DayState.PENDING, ()),
        (D2, DayState.PENDING, ()),
    ]
    assert [d.possible for d in queue.days] == [
        (Span(0, 1440),),  # Thursday: "maybe" all day
        (Span(0, 90), Span(1050, 1140)),
    ]
    lines = text(lang, queue, STAMP).split("\n")
    assert texts.missing_queue not in lines
    assert texts.possible_all_day in lines  # one short line for today
    assert not any("00:00–24:00" in line for line in lines)
    for interval in ("00:00–01:30", "17:30–19:00"):  # tomorrow: the template's hours
        duration = format_duration(90, texts)
        assert texts.possible_line.format(interval=interval, duration=duration) in lines
