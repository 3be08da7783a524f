"""The composition root: builds adapters from Settings, wires the services, runs and stops them."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress
from datetime import datetime, timedelta

from esvitlo.adapters.console_sink import ConsoleSink
from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import assess
from esvitlo.domain.model import DataStatus, RegionSnapshot
from esvitlo.ports import Clock, ScheduleSource
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.settings import Settings

logger = logging.getLogger("esvitlo")


def make_source(settings: Settings) -> HttpScheduleSource:
    """The HTTP source every fetcher shares."""
    return HttpScheduleSource(timeout=settings.fetch_timeout, attempts=settings.fetch_attempts)


def make_fetcher(
    settings: Settings, region: Region, source: ScheduleSource, clock: Clock
) -> RegionFetcher:
    """A fetcher for one region with the configured breakers."""
    return RegionFetcher(
        region,
        source,
        clock,
        failure_threshold=settings.breaker_failures,
        reset_after=timedelta(seconds=settings.breaker_reset),
    )


async def fetch_region(
    settings: Settings, region: Region, now: datetime
) -> tuple[RegionSnapshot, DataStatus]:
    """Fetch one region once, through its sources in priority order."""
    async with make_source(settings) as source:
        result = await make_fetcher(settings, region, source, SystemClock()).fetch()
    status = assess(result.snapshot, now, settings.freshness(), fetch_failed=result.fetch_failed)
    return result.snapshot, status


def configure_logging(level: str, *, plain: bool = False) -> None:
    """English log lines with key=value fields on stderr (``plain``: without time and name)."""
    fmt = "%(levelname)s %(message)s" if plain else "%(asctime)s %(levelname)s %(name)s %(message)s"
    logging.basicConfig(level=level.upper(), format=fmt)


async def run_service(settings: Settings) -> int:
    """Run the schedule watch over every catalogue region until SIGINT or SIGTERM."""
    configure_logging(settings.log_level)
    catalogue = settings.catalogue()
    clock = SystemClock()
    if settings.bot_token is None:
        logger.info("app.no_bot_token mode=schedule-watch-only")
    async with make_source(settings) as source:
        watch = ScheduleWatch(
            catalogue.regions,
            lambda region: make_fetcher(settings, region, source, clock),
            MemoryScheduleStore(),
            ConsoleSink(clock, settings.freshness()),
            clock,
            interval=settings.poll_interval,
            jitter=settings.poll_jitter,
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await watch.start()
        logger.info(
            "app.started regions=%d interval=%ss", len(catalogue.regions), settings.poll_interval
        )
        try:
            await stop.wait()
        finally:
            await watch.stop()
            logger.info("app.stopped")
    return 0
