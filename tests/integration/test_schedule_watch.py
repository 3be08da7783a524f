"""ScheduleWatch end to end: real local HTTP server, real fixture series, memory store."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import UTC, date, datetime

import pytest

from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.changes import ChangeKind, Decision, QueueCheck, check_queue
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.model import RegionSnapshot, Span
from esvitlo.ports import RegionCheck
from esvitlo.services.region_fetcher import RegionFetcher, RegionUnavailable
from esvitlo.services.schedule_watch import RegionStats, ScheduleWatch

from fixture_files import fixtures_dir
from schedule_server import FakeClock, FixtureServer, Reply

KYIV = "outage-data-ua/kyiv/"
A256 = KYIV + "2025-11-09T0633_a256.json"
A261_UNCHANGED = KYIV + "2025-11-09T0735_a261_unchanged.json"
A265 = KYIV + "2025-11-09T0838_a265.json"
A286_ERROR = KYIV + "2025-11-09T1407_a286_error.json"
DNIPRO = "outage-data-ua/dnipro/2025-11-09T0838_a264.json"
NOW = datetime(2025, 11, 9, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
TODAY = date(2025, 11, 9)


class RecordingSink:
    """A ChangeSink that records every call; it can be told to fail the first ``fail`` calls."""

    def __init__(self, fail: int = 0) -> None:
        self.calls: list[tuple[RegionSnapshot, Mapping[str, QueueCheck]]] = []
        self.results: list[RegionCheck] = []
        self.fail = fail

    async def region_checked(self, result: RegionCheck) -> None:
        if self.fail > 0:
            self.fail -= 1
            raise RuntimeError("sink is down")
        self.calls.append((result.snapshot, result.checks))
        self.results.append(result)

    def regions(self) -> list[str]:
        return [snapshot.region for snapshot, _ in self.calls]


@pytest.fixture
async def http() -> AsyncIterator[HttpScheduleSource]:
    async with HttpScheduleSource(timeout=2.0, attempts=1, backoff=0, backoff_jitter=0) as src:
        yield src


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def store() -> MemoryScheduleStore:
    return MemoryScheduleStore()


def region(region_id: str, server: FixtureServer) -> Region:
    source = Source(SourceKind.DTEK, server.url(region_id))
    return Region(region_id, region_id, region_id, "Europe/Kyiv", (source,))


@pytest.fixture
def make_watch(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock, store: MemoryScheduleStore
) -> Callable[..., ScheduleWatch]:
    def build(sink: RecordingSink, *region_ids: str) -> ScheduleWatch:
        regions = [region(rid, server) for rid in region_ids or ("kyiv",)]
        return ScheduleWatch(
            regions, lambda r: RegionFetcher(r, http, clock), store, sink, clock, jitter=0.1
        )

    return build


async def eventually(condition: Callable[[], bool], within: float = 0.8) -> None:
    """Wait until ``condition`` holds, failing the test after ``within`` seconds."""
    async with asyncio.timeout(within):
        while not condition():
            await asyncio.sleep(0.005)


async def test_baseline_then_today_changed(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], store: MemoryScheduleStore
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(A256)
    first = await watch.check_region("kyiv")
    assert {c.decision for c in first.checks.values()} == {Decision.BASELINE}
    assert all(not c.changes for c in first.checks.values())

    server.replies["kyiv"] = Reply(A265)
    second = await watch.check_region("kyiv")
    _, checks = sink.calls[-1]
    assert len(sink.calls) == 2
    assert checks["3.1"].decision is Decision.CHANGED
    [change] = checks["3.1"].changes
    assert (change.kind, change.date) == (ChangeKind.TODAY_CHANGED, TODAY)
    assert change.diff.describe() == "~15:00–22:00>15:00–19:00"
    assert checks["1.1"].decision is Decision.NO_CHANGE
    assert second.summary() == "changed=6 no_change=6"
    stored = await store.load("kyiv")
    assert stored is not None
    assert stored["3.1"][TODAY] == change.new
    assert stored["3.1"][TODAY].outages[-1] == Span(900, 1140)


@pytest.mark.parametrize("second", [A256, A261_UNCHANGED], ids=["304", "unchanged-recommit"])
async def test_same_schedule_is_no_change(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], second: str
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(A256)
    await watch.check_region("kyiv")
    server.replies["kyiv"] = Reply(second)
    result = await watch.check_region("kyiv")
    assert {c.decision for c in result.checks.values()} == {Decision.NO_CHANGE}


async def test_queue_new_in_a_stored_region_is_a_baseline(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], store: MemoryScheduleStore
) -> None:
    old = parse_document(decode_json((fixtures_dir() / A256).read_bytes()), region="kyiv")
    baseline = check_queue(None, old.queues["3.1"], TODAY).keep
    assert baseline is not None
    await store.save("kyiv", {"3.1": baseline})  # the region is known, but only queue 3.1
    watch = make_watch(RecordingSink())
    server.replies["kyiv"] = Reply(A265)
    result = await watch.check_region("kyiv")
    assert result.checks["3.1"].decision is Decision.CHANGED
    assert result.checks["4.2"].decision is Decision.BASELINE
    assert not result.checks["4.2"].changes


async def test_failed_fetch_reports_stale_copy_as_source_error(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], store: MemoryScheduleStore
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(A256)
    good = await watch.check_region("kyiv")
    before = await store.load("kyiv")
    server.replies["kyiv"] = Reply(status=500)
    stale = await watch.check_region("kyiv")
    assert stale.fetch_failed
    assert stale.snapshot is good.snapshot
    assert {c.decision for c in stale.checks.values()} == {Decision.SOURCE_ERROR}
    assert len(sink.calls) == 2
    assert await store.load("kyiv") == before
    stats = watch.stats["kyiv"]
    assert (stats.runs, stats.failures) == (2, 1)
    assert stats.last_decision == "stale source_error=12"
    assert stats.last_error is not None and "HTTP 500" in stats.last_error


async def test_feed_error_document_keeps_the_stored_days(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], store: MemoryScheduleStore
) -> None:
    watch = make_watch(RecordingSink())
    server.replies["kyiv"] = Reply(A256)
    await watch.check_region("kyiv")
    before = await store.load("kyiv")
    server.replies["kyiv"] = Reply(A286_ERROR)
    result = await watch.check_region("kyiv")
    assert not result.fetch_failed
    assert {c.decision for c in result.checks.values()} == {Decision.SOURCE_ERROR}
    assert await store.load("kyiv") == before


async def test_region_never_available_is_counted_and_not_sent(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch]
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(status=503)
    with pytest.raises(RegionUnavailable):
        await watch.check_region("kyiv")
    assert sink.calls == []
    stats = watch.stats["kyiv"]
    assert (stats.runs, stats.failures, stats.last_success) == (1, 1, None)
    assert stats.last_error is not None and stats.last_error.startswith("RegionUnavailable")


async def test_stats_after_a_good_check(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], clock: FakeClock
) -> None:
    watch = make_watch(RecordingSink())
    assert watch.stats["kyiv"] == RegionStats()
    server.replies["kyiv"] = Reply(A256)
    await watch.check_region("kyiv")
    stats = watch.stats["kyiv"]
    assert (stats.runs, stats.failures, stats.last_success) == (1, 0, clock.now())
    assert stats.last_decision == "baseline=12"
    assert stats.last_duration_s is not None and 0 < stats.last_duration_s < 1
    assert stats.last_error is None
    with pytest.raises(TypeError):
        watch.stats["kyiv"] = RegionStats()  # type: ignore[index]


async def test_concurrent_checks_of_a_region_share_one_run(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch]
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(A256, delay=0.1)
    first, second = await asyncio.gather(watch.check_region("kyiv"), watch.check_region("kyiv"))
    assert first is second
    assert server.hits["kyiv"] == 1
    assert len(sink.calls) == 1
    assert watch.stats["kyiv"].runs == 1


async def test_unknown_region_is_a_key_error(make_watch: Callable[..., ScheduleWatch]) -> None:
    with pytest.raises(KeyError):
        await make_watch(RecordingSink()).check_region("atlantis")


async def test_slow_region_does_not_delay_another(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch]
) -> None:
    sink = RecordingSink()
    watch = make_watch(sink, "kyiv", "dnipro")
    server.replies = {"kyiv": Reply(A256, hang=True), "dnipro": Reply(DNIPRO)}
    await watch.start()
    try:
        await eventually(lambda: watch.stats["dnipro"].runs >= 3)
        assert watch.stats["kyiv"].runs == 0
        assert set(sink.regions()) == {"dnipro"}
        assert server.hits["kyiv"] == 1
    finally:
        await watch.stop()
    assert not watch.running


async def test_loop_goes_on_after_a_failed_check(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch], clock: FakeClock
) -> None:
    sink = RecordingSink(fail=1)
    watch = make_watch(sink)
    server.replies["kyiv"] = Reply(A256)
    await watch.start()
    try:
        await eventually(lambda: len(sink.calls) >= 2)
    finally:
        await watch.stop()
    stats = watch.stats["kyiv"]
    assert stats.failures == 1
    assert stats.runs >= 3
    assert stats.last_error is None
    assert all(270 <= s <= 330 for s in clock.sleeps)


async def test_stop_ends_the_tasks_and_is_idempotent(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch]
) -> None:
    watch = make_watch(RecordingSink(), "kyiv", "dnipro")
    server.replies = {"kyiv": Reply(A256), "dnipro": Reply(DNIPRO)}
    await watch.stop()
    await watch.start()
    await watch.start()
    assert watch.running
    await eventually(lambda: server.hits["kyiv"] >= 2 and server.hits["dnipro"] >= 2)
    await watch.stop()
    await watch.stop()
    assert not watch.running
    hits = server.hits.copy()
    await asyncio.sleep(0.05)
    assert server.hits == hits


async def test_stop_cancels_a_check_in_flight(
    server: FixtureServer, make_watch: Callable[..., ScheduleWatch]
) -> None:
    watch = make_watch(RecordingSink())
    server.replies["kyiv"] = Reply(A256, hang=True)
    await watch.start()
    await eventually(lambda: server.hits["kyiv"] == 1)
    async with asyncio.timeout(0.5):
        await watch.stop()
    assert watch.stats["kyiv"].runs == 0


@pytest.mark.parametrize(
    ("seed", "elapsed", "low", "high"),
    [(1, 0.0, 270.0, 330.0), (2, 0.0, 270.0, 330.0), (3, 30.0, 240.0, 300.0), (4, 400.0, 0.0, 0.0)],
)
def test_next_delay_is_the_jittered_interval_less_elapsed(
    seed: int, elapsed: float, low: float, high: float, store: MemoryScheduleStore
) -> None:
    watch = ScheduleWatch(
        [], {}, store, RecordingSink(), FakeClock(NOW), interval=300, rng=random.Random(seed)
    )
    assert low <= watch.next_delay(elapsed) <= high


@pytest.mark.parametrize(("interval", "jitter"), [(0, 0.1), (-1, 0.1), (300, -0.1), (300, 1.0)])
def test_rejects_bad_timing(interval: float, jitter: float, store: MemoryScheduleStore) -> None:
    with pytest.raises(ValueError):
        ScheduleWatch(
            [], {}, store, RecordingSink(), FakeClock(NOW), interval=interval, jitter=jitter
        )


def test_missing_fetcher_is_reported(store: MemoryScheduleStore) -> None:
    source = Source(SourceKind.DTEK, "http://127.0.0.1:9/kyiv.json")
    kyiv = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (source,))
    with pytest.raises(ValueError, match="no fetcher for regions: kyiv"):
        ScheduleWatch([kyiv], {}, store, RecordingSink(), FakeClock(NOW))
