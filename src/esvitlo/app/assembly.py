"""The parts the composition root assembles from Settings: sources and fetchers, storage
tasks, coordination, the send budget, logging; each a small function of the settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from esvitlo.adapters import logs, mykolaiv_source
from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.logs import LogFormat
from esvitlo.adapters.memory_coordinator import MemoryCoordinator
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.retention import SqlRetention
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import assess
from esvitlo.domain.model import DataStatus, RegionSnapshot
from esvitlo.domain.runtime_settings import RuntimeValues
from esvitlo.ports import (
    Clock,
    Coordinator,
    ScheduleSource,
    SendBudget,
)
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.retention import RetentionPolicy, RetentionTask
from esvitlo.services.send_budget import PAID_RATE, LocalSendBudget, shared_margin
from esvitlo.settings import Settings

if TYPE_CHECKING:  # redis is imported only when REDIS_URL is set
    from redis.asyncio import Redis


logger = logging.getLogger("esvitlo")


def make_source(settings: Settings) -> HttpScheduleSource:
    """The HTTP source every fetcher shares."""
    return HttpScheduleSource(timeout=settings.fetch_timeout, attempts=settings.fetch_attempts)


def make_fetcher(
    settings: Settings, region: Region, source: ScheduleSource, clock: Clock
) -> RegionFetcher:
    """A fetcher for one region with the configured breakers (a Mykolaiv API source read
    as one bundle of its three documents)."""
    return RegionFetcher(
        region,
        mykolaiv_source.for_region(region, source),
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


def configure_logging(
    level: str,
    *,
    plain: bool = False,
    fmt: LogFormat = "auto",
    secrets: Sequence[str] = (),
    log_sql: bool = False,
) -> None:
    """Log events with fields on stderr: JSON lines, or console lines on a terminal
    (``plain``: without the time); ``secrets`` never appear, nor SQL statements unless
    ``log_sql`` (see adapters.logs)."""
    logs.configure_logging(level, fmt=fmt, plain=plain, secrets=secrets, log_sql=log_sql)


async def migrate(settings: Settings) -> None:
    """Apply the database migrations up to the newest."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_engine(engine)
    finally:
        await engine.dispose()


def make_retention(settings: Settings, storage: SqlStorage, clock: Clock) -> RetentionTask:
    """The periodic pruning of old outbox rows, schedule days and conversations."""
    policy = RetentionPolicy(
        outbox=timedelta(days=settings.outbox_retention_days),
        snapshots=timedelta(days=settings.snapshot_retention_days),
        conversations=timedelta(hours=settings.conversation_ttl_hours),
        batch_size=settings.retention_batch_size,
    )
    return RetentionTask(
        SqlRetention(storage.engine), clock, policy, interval=settings.retention_interval
    )


async def ping_redis(url: str) -> None:
    """Connect to Redis at ``url`` and PING it; raise when it does not answer."""
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        await client.ping()  # type: ignore[misc]  # redis-py types it sync-or-async
    finally:
        await client.aclose()


def freeze_startup_heap() -> None:
    """Take everything alive after start-up out of the garbage collector's sight (gc.freeze).

    aiogram's pydantic models alone make a full collection take about 160 ms; such a pause
    bunches the sender's evenly spaced messages past Telegram's limits (429s at paid broadcast
    rates) and the collections cost a fifth of its CPU (BENCHMARKS.md, fan-out).
    """
    gc.collect()
    gc.freeze()


def make_coordinator(settings: Settings, clock: Clock) -> tuple[Coordinator, Redis | None]:
    """Redis coordination with ``REDIS_URL`` (and the client, for the send budget); else
    in-process, where this instance is always the leader."""
    if not settings.redis_url:
        return MemoryCoordinator(clock, settings.instance_id), None
    from esvitlo.adapters.redis_client import connect
    from esvitlo.adapters.redis_coordinator import RedisCoordinator

    redis = connect(settings.redis_url)
    return RedisCoordinator(redis, settings.instance_id), redis


def shared_source(
    settings: Settings, source: ScheduleSource, redis: Redis | None
) -> ScheduleSource:
    """With Redis, documents one instance fetched serve the others for half a poll interval
    (at most a minute); alone, the source itself."""
    if redis is None:
        return source
    from esvitlo.adapters.redis_coordinator import RedisSourceCache
    from esvitlo.adapters.shared_source import SharedScheduleSource

    ttl = min(60.0, settings.poll_interval / 2)
    return SharedScheduleSource(source, RedisSourceCache(redis), ttl)


def make_send_budget(settings: Settings, clock: Clock, redis: Redis | None) -> SendBudget:
    """Telegram's limits for this instance alone, or for all instances together via Redis
    (a quarter of the rate locally while Redis is unreachable)."""
    rate = PAID_RATE if settings.paid_broadcast else settings.send_rate
    if redis is None:
        return LocalSendBudget(clock, rate=rate)
    from esvitlo.adapters.redis_send_budget import RedisSendBudget

    fallback = LocalSendBudget(clock, rate=max(1.0, rate / 4))
    return RedisSendBudget(redis, clock, fallback, rate=rate, margin=shared_margin(rate))


def secrets_of(settings: Settings) -> list[str]:
    """The configured secrets the logs must never show: tokens and database passwords."""
    values = (settings.bot_token, settings.webhook_secret)
    secrets = [value.get_secret_value() for value in values if value is not None]
    urls = (settings.database_url, settings.redis_url or "")
    return secrets + [password for url in urls if (password := urlsplit(url).password)]


def runtime_defaults(settings: Settings) -> RuntimeValues:
    """The run-time settings as the environment gives them."""
    return RuntimeValues(
        poll_interval=settings.poll_interval,
        probe_interval=settings.probe_interval,
        reminder_interval=settings.reminder_interval,
        power_off_after=settings.power_off_after,
        power_on_after=settings.power_on_after,
    )
