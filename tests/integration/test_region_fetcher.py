"""RegionFetcher over a real local HTTP server serving the real Kyiv fixture series."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.documents import SourceKind
from esvitlo.services.breaker import BreakerState
from esvitlo.services.region_fetcher import RegionFetcher, RegionUnavailable

from schedule_server import FakeClock, FixtureServer, Reply

KYIV = "outage-data-ua/kyiv/"
GOOD = KYIV + "2025-11-09T0633_a256.json"
LATER = KYIV + "2025-11-09T0838_a265.json"
FEED_ERROR = KYIV + "2025-11-09T1407_a286_error.json"
YASNO = "yasno/planned-outages_kyiv_group6.2_excerpt_2025-12-26.json"
NOW = datetime(2025, 11, 9, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv


@pytest.fixture
async def http() -> AsyncIterator[HttpScheduleSource]:
    async with HttpScheduleSource(timeout=0.2, attempts=1, backoff=0, backoff_jitter=0) as src:
        yield src


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


def make_fetcher(
    server: FixtureServer,
    http: HttpScheduleSource,
    clock: FakeClock,
    second_kind: SourceKind = SourceKind.DTEK,
    threshold: int = 3,
) -> RegionFetcher:
    region = Region(
        id="kyiv",
        name_uk="Київ",
        name_en="Kyiv",
        tz="Europe/Kyiv",
        sources=(
            Source(SourceKind.DTEK, server.url("primary")),
            Source(second_kind, server.url("secondary")),
        ),
    )
    return RegionFetcher(
        region, http, clock, failure_threshold=threshold, reset_after=timedelta(seconds=60)
    )


async def test_primary_answers(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(GOOD), "secondary": Reply(LATER)}
    result = await make_fetcher(server, http, clock).fetch()
    assert (result.source_url, result.fetch_failed) == (server.url("primary"), False)
    assert result.snapshot.region == "kyiv"
    assert "3.1" in result.snapshot.queues
    assert server.hits["secondary"] == 0


@pytest.mark.parametrize(
    "broken",
    [
        Reply(status=500),
        Reply(raw=b"<html>not json</html>"),
        Reply(raw=b'{"x": 1}'),
        Reply(hang=True),
    ],
    ids=["500", "garbage", "wrong-shape", "hang"],
)
async def test_falls_back_to_second_source(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock, broken: Reply
) -> None:
    server.replies = {"primary": broken, "secondary": Reply(YASNO)}
    result = await make_fetcher(server, http, clock, second_kind=SourceKind.YASNO).fetch()
    assert (result.source_url, result.fetch_failed) == (server.url("secondary"), False)
    assert list(result.snapshot.queues) == ["6.2"]
    assert len(result.errors) == 1


async def test_not_modified_reuses_the_parsed_snapshot(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(GOOD)}
    fetcher = make_fetcher(server, http, clock)
    first = await fetcher.fetch()
    second = await fetcher.fetch()
    assert second.snapshot is first.snapshot
    assert (server.hits["primary"], server.not_modified["primary"]) == (2, 1)
    server.replies["primary"] = Reply(LATER)
    third = await fetcher.fetch()
    assert third.snapshot is not first.snapshot
    assert server.not_modified["primary"] == 1


async def test_feed_error_prefers_a_healthy_second_source(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(FEED_ERROR), "secondary": Reply(LATER)}
    fetcher = make_fetcher(server, http, clock)
    result = await fetcher.fetch()
    assert result.source_url == server.url("secondary")
    assert result.snapshot.source_ok
    assert fetcher.breaker_states()[server.url("primary")] is BreakerState.CLOSED


async def test_feed_error_document_is_returned_when_nothing_better(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(FEED_ERROR), "secondary": Reply(status=500)}
    result = await make_fetcher(server, http, clock).fetch()
    assert (result.source_url, result.fetch_failed) == (server.url("primary"), False)
    assert not result.snapshot.source_ok
    assert result.snapshot.source_message
    assert result.snapshot.queues


async def test_all_failing_returns_last_good_marked_failed(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(GOOD)}
    fetcher = make_fetcher(server, http, clock)
    good = await fetcher.fetch()
    server.replies = {"primary": Reply(status=503), "secondary": Reply(raw=b"garbage")}
    stale = await fetcher.fetch()
    assert stale.fetch_failed
    assert stale.snapshot is good.snapshot
    assert stale.source_url == server.url("primary")
    assert len(stale.errors) == 2


async def test_all_failing_without_earlier_copy_raises(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(status=500), "secondary": Reply(status=502)}
    with pytest.raises(RegionUnavailable, match="no source answered"):
        await make_fetcher(server, http, clock).fetch()


async def test_breaker_opens_and_skips_the_failing_source(
    server: FixtureServer, http: HttpScheduleSource, clock: FakeClock
) -> None:
    server.replies = {"primary": Reply(status=500), "secondary": Reply(GOOD)}
    fetcher = make_fetcher(server, http, clock, threshold=2)
    primary = server.url("primary")
    for _ in range(5):
        result = await fetcher.fetch()
        assert result.source_url == server.url("secondary")
        clock.advance(10)
    assert server.hits["primary"] == 2
    assert fetcher.breaker_states()[primary] is BreakerState.OPEN
    assert "circuit open" in result.errors[0]

    clock.advance(60)  # past reset_after: one trial, which fails and re-opens
    await fetcher.fetch()
    await fetcher.fetch()
    assert server.hits["primary"] == 3
    assert fetcher.breaker_states()[primary] is BreakerState.OPEN

    clock.advance(61)  # next trial succeeds and closes the breaker
    server.replies["primary"] = Reply(LATER)
    result = await fetcher.fetch()
    assert result.source_url == primary
    assert server.hits["primary"] == 4
    assert fetcher.breaker_states()[primary] is BreakerState.CLOSED
