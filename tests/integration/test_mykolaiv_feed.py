"""A Mykolaiv region end to end without network: the local feed serves the API's three
documents, the watch fetches them through the composition root's fetcher and stores the
queues; a part failing later keeps the last good copy."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.app.assembly import make_fetcher
from esvitlo.domain.changes import Decision
from esvitlo.domain.documents import SourceKind
from esvitlo.domain.model import DayState
from esvitlo.ports import RegionCheck
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.settings import Settings
from esvitlo.testing.feed import FeedServer

from schedule_server import FakeClock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mykolaiv"
NOW = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
TODAY = date(2026, 12, 6)


class Sink:
    def __init__(self) -> None:
        self.results: list[RegionCheck] = []

    async def region_checked(self, result: RegionCheck) -> None:
        self.results.append(result)


@pytest.fixture
async def feed() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


def _bundle(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def _settings(tmp_path: Path, base: str) -> Settings:
    regions = tmp_path / "regions.toml"
    regions.write_text(
        '[[regions]]\nid = "mykolaiv"\nname_uk = "Миколаївська область"\n'
        'name_en = "Mykolaiv region"\n'
        f'[[regions.sources]]\nkind = "mykolaiv"\nurl = "{base}"\n',
        encoding="utf-8",
    )
    return Settings(ESVITLO_REGIONS_FILE=regions, ESVITLO_FETCH_ATTEMPTS=1, REDIS_URL=None)


async def test_the_watch_reads_a_mykolaiv_region_from_the_local_feed(
    feed: FeedServer, tmp_path: Path
) -> None:
    base = feed.serve_mykolaiv("mk/api", _bundle("normal_day"))
    settings = _settings(tmp_path, base)
    [region] = settings.catalogue().regions
    assert region.sources[0].kind is SourceKind.MYKOLAIV
    store, sink, clock = MemoryScheduleStore(), Sink(), FakeClock(NOW)
    async with HttpScheduleSource(timeout=2.0, attempts=1) as http:
        watch = ScheduleWatch(
            [region], lambda r: make_fetcher(settings, r, http, clock), store, sink, clock
        )
        first = await watch.check_region("mykolaiv")
        assert {c.decision for c in first.checks.values()} == {Decision.BASELINE}
        stored = await store.load("mykolaiv")
        assert stored is not None and len(stored) == 12
        assert [s.label() for s in stored["1.1"][TODAY].outages] == ["08:00–12:00"]
        assert feed.requests == 3

        unchanged = await watch.check_region("mykolaiv")  # three 304s, the bundle unchanged
        assert {c.decision for c in unchanged.checks.values()} == {Decision.NO_CHANGE}
        assert feed.requests == 6

        feed.serve_mykolaiv("mk/api", _bundle("sure_off_day"))
        emergency = await watch.check_region("mykolaiv")
        assert emergency.checks["3.1"].decision is Decision.CHANGED
        assert [c.new.state for c in emergency.checks["3.1"].changes] == [DayState.EMERGENCY]

        del feed.documents["mk/api/schedule/time-series"]
        failed = await watch.check_region("mykolaiv")
        assert failed.fetch_failed
        assert "schedule/time-series" in " ".join(failed.errors)
    stored = await store.load("mykolaiv")
    assert stored is not None and stored["3.1"][TODAY].state is DayState.EMERGENCY


async def test_the_feed_serves_the_three_documents_under_the_base(feed: FeedServer) -> None:
    base = feed.serve_mykolaiv("mk/api", json.loads(_bundle("out_of_season")))
    assert base == feed.url("mk/api") + "/"
    assert sorted(feed.documents) == [
        "mk/api/outage-queue/by-type/3",
        "mk/api/schedule/time-series",
        "mk/api/v2/schedule/active",
    ]
    assert json.loads(feed.documents["mk/api/v2/schedule/active"]) == []
