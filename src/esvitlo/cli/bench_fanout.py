"""``esvitlo bench fanout``: one schedule change to 100,000 subscribers, planned and sent.

The change is planned by the real path (``save_and_plan``: one transaction, ``INSERT …
SELECT`` over the subscribers) into a database of its own, then sent by the real sender
(OutboxSender, TelegramSender over aiogram, LocalSendBudget) to the fake Bot API server in a
process of its own (``esvitlo.cli.bench_fake``), in three runs over the same outbox: at 30/s
and at 1000/s (paid broadcast) with the fake's real limits on, then as fast as it goes with
them off until the outbox is empty. The fake counts what every chat received. The process
CPU of that last run per 1,000 messages is set against a bare aiohttp client's posting the
same request to the same fake (``bench_fanout_cpu``); ``--load`` runs it all beside a CPU
burner that keeps one core busy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import sys
import time
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import func, select

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.app import freeze_startup_heap
from esvitlo.cli.bench_fanout_cpu import (
    BareRun,
    alert_form,
    bare_client_run,
    cpu_burner,
    overhead,
    per_1000,
)
from esvitlo.cli.bench_fanout_fake import FakeProcess, fake_process
from esvitlo.cli.bench_fanout_setup import FIRST_CHAT, bench_database, plan_fanout
from esvitlo.cli.errors import CliError
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.send_budget import DEFAULT_RATE, PAID_RATE, LocalSendBudget
from esvitlo.testing.fake_telegram import DEFAULT_TOKEN

UNLIMITED = 1_000_000.0  # the budget of the raw run: no limit worth the name
POLL = 0.1
ENQUEUE_TARGETS = {"sqlite": 1.0, "postgresql": 2.0}
TARGETS: dict[str, float] = {
    "ratio_at_30": 0.97,
    "errors_429": 0,
    "ratio_at_1000": 0.9,
    "raw_per_s": 1500,
    "peak_rss_mb": 300,
    "lost": 0,
    "duplicates": 0,
    "overhead_ratio": 2.5,
}


@dataclass(frozen=True, slots=True)
class Size:
    """How big a run is: subscribers, seconds at each limited rate, the bare client's requests."""

    subscribers: int
    seconds_at_30: float
    seconds_at_1000: float
    bare_requests: int


FULL = Size(100_000, 20.0, 20.0, 20_000)
QUICK = Size(2_000, 3.0, 1.0, 1_000)  # leaves about 900 messages for the raw run


@dataclass(frozen=True, slots=True)
class Run:
    """One sending run: what the fake received while it was measured, over how long, and the
    process CPU from starting the sender to its stop."""

    delivered: int
    seconds: float
    errors_429: int
    cpu_s: float

    @property
    def per_s(self) -> float:
        return self.delivered / self.seconds if self.seconds > 0 else 0.0


async def _waiting(storage: SqlStorage) -> bool:
    """Whether any message is still pending or claimed."""
    query = select(outbox.c.id).where(outbox.c.status.in_(["pending", "sending"])).limit(1)
    async with storage.engine.connect() as conn:
        return await conn.scalar(query) is not None


async def _drained(sender: OutboxSender, storage: SqlStorage) -> bool:
    return sender.in_flight == 0 and not await _waiting(storage)


@dataclass(frozen=True, slots=True)
class Senders:
    """What the service sends alerts with, made once and kept for every run as it keeps them:
    the picture, uploaded by the first run, is re-sent by file_id in the others."""

    telegram: TelegramSender
    photos: SchedulePhotos
    alerts: AlertSender

    @classmethod
    def over(cls, bot: Bot) -> Senders:
        telegram = TelegramSender(bot)
        photos = SchedulePhotos(ScheduleChart())
        return cls(telegram, photos, AlertSender(telegram, photos))


async def send_run(
    storage: SqlStorage,
    senders: Senders,
    fake: FakeProcess,
    *,
    rate: float,
    seconds: float | None,
    paid: bool = False,
) -> Run:
    """Send at ``rate`` for ``seconds`` (None: until the outbox is empty) and stop; what the
    fake received in that window (and the 429s until the sender stopped)."""
    clock = SystemClock()
    budget = LocalSendBudget(clock, rate=rate)
    config = DeliveryConfig(paid_broadcast=paid)
    sender = OutboxSender(
        storage.outbox, senders.telegram, budget, clock, config, alerts=senders.alerts
    )
    before = await fake.tally()
    cpu = time.process_time()
    started = time.perf_counter()
    await sender.start()
    try:
        deadline = started + seconds if seconds is not None else float("inf")
        while time.perf_counter() < deadline:
            if await _drained(sender, storage):
                break
            await asyncio.sleep(min(POLL, max(0.0, deadline - time.perf_counter())))
        measured = await fake.tally()
        elapsed = time.perf_counter() - started
    finally:
        await sender.stop()
    cpu = time.process_time() - cpu
    after = await fake.tally()
    delivered = measured["sent"] - before["sent"]
    return Run(delivered, elapsed, after["errors_429"] - before["errors_429"], cpu)


async def run_fanout(url: str | None, size: Size, *, load: bool = False) -> dict[str, Any]:
    """The whole benchmark (beside a CPU burner with ``load``); its figures."""
    async with (
        cpu_burner(load),
        bench_database(url) as database,
        fake_process() as fake,
    ):
        engine = database.engine
        storage = SqlStorage.from_engine(engine, SystemClock())
        api = TelegramAPIServer.from_base(fake.base_url)
        bot = Bot(DEFAULT_TOKEN, session=AiohttpSession(api=api))
        senders = Senders.over(bot)
        freeze_startup_heap()  # as the service does once started
        try:
            queued, enqueue_s = await plan_fanout(storage, size.subscribers)
            if queued != size.subscribers:
                raise CliError(f"planned {queued} messages for {size.subscribers} subscribers")
            await fake.control("POST", "/_bench/people", {"first": FIRST_CHAT, "count": queued})
            runs = await _send_runs(storage, senders, fake, size)
            final = await fake.tally(first=FIRST_CHAT, count=queued)
            form = alert_form(bot, await _payload_of(storage, FIRST_CHAT), senders.photos)
            bare = await _bare_run(fake, api.api_url(DEFAULT_TOKEN, "sendPhoto"), form, size)
        finally:
            await bot.session.close()
        cpu_per_1000_s = per_1000(runs[2].cpu_s, runs[2].delivered)
        figures = {
            "benchmark": "fanout",
            "database": engine.dialect.name,
            "load": load,
            "subscribers": size.subscribers,
            "enqueue_s": round(enqueue_s, 3),
            **_run_figures(*runs),
            "cpu_per_1000_s": cpu_per_1000_s,
            "bare_cpu_per_1000_s": per_1000(bare.cpu_s, bare.ok),
            "overhead_ratio": overhead(cpu_per_1000_s, per_1000(bare.cpu_s, bare.ok)),
            "bare_requests": bare.ok,
            "bare_failed": bare.failed,
            "bare_per_s": round(bare.ok / bare.seconds, 1) if bare.seconds > 0 else 0.0,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "fake_peak_rss_mb": fake.peak_rss_mb(),
            "delivered": final["sent"],
            "lost": final["lost"],
            "duplicates": final["duplicates"],
            "refused": final["refused"],
            "not_sent": await _not_sent(storage),
        }
    config = DeliveryConfig()
    return {
        **figures,
        "batch_size": config.batch_size,
        "max_in_flight": config.max_in_flight,
        "targets": {"enqueue_s": ENQUEUE_TARGETS.get(engine.dialect.name), **TARGETS},
    }


async def _send_runs(
    storage: SqlStorage, senders: Senders, fake: FakeProcess, size: Size
) -> tuple[Run, Run, Run]:
    """At 30/s and at 1000/s (paid) with the fake's limits on, then unlimited until done."""
    await fake.limits(enabled=True)
    at_30 = await send_run(storage, senders, fake, rate=DEFAULT_RATE, seconds=size.seconds_at_30)
    await fake.limits(enabled=True)
    at_1000 = await send_run(
        storage, senders, fake, rate=PAID_RATE, seconds=size.seconds_at_1000, paid=True
    )
    await fake.limits(enabled=False)
    raw = await send_run(storage, senders, fake, rate=UNLIMITED, seconds=None)
    return at_30, at_1000, raw


async def _payload_of(storage: SqlStorage, chat_id: int) -> dict[str, Any]:
    """The outbox payload planned for ``chat_id``."""
    query = select(outbox.c.payload).where(outbox.c.chat_id == chat_id)
    async with storage.engine.connect() as conn:
        payload = await conn.scalar(query)
    if not isinstance(payload, dict):
        raise CliError(f"no payload planned for chat {chat_id}")
    return payload


async def _bare_run(fake: FakeProcess, url: str, form: dict[str, str], size: Size) -> BareRun:
    """The bare client's run, to chats of its own after the subscribers' (limits still off)."""
    first = FIRST_CHAT + size.subscribers
    await fake.control("POST", "/_bench/people", {"first": first, "count": size.bare_requests})
    chats = range(first, first + size.bare_requests)
    return await bare_client_run(url, form, chats, DeliveryConfig().max_in_flight)


def _run_figures(at_30: Run, at_1000: Run, raw: Run) -> dict[str, Any]:
    return {
        "ratio_at_30": round(at_30.per_s / DEFAULT_RATE, 3),
        "per_s_at_30": round(at_30.per_s, 2),
        "seconds_at_30": round(at_30.seconds, 2),
        "errors_429": at_30.errors_429,
        "ratio_at_1000": round(at_1000.per_s / PAID_RATE, 3),
        "per_s_at_1000": round(at_1000.per_s, 1),
        "seconds_at_1000": round(at_1000.seconds, 2),
        "errors_429_at_1000": at_1000.errors_429,
        "raw_per_s": round(raw.per_s, 1),
        "raw_messages": raw.delivered,
        "raw_seconds": round(raw.seconds, 2),
        "errors_429_raw": raw.errors_429,
    }


async def _not_sent(storage: SqlStorage) -> int:
    """Outbox rows in any state but sent."""
    query = select(func.count()).select_from(outbox).where(outbox.c.status != "sent")
    async with storage.engine.connect() as conn:
        return int(await conn.scalar(query) or 0)


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    """The benchmark, cancelled (and cleaned up) on SIGTERM as on Ctrl-C."""
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    size = QUICK if args.quick else FULL
    return await run_fanout(args.database_url, size, load=bool(args.load))


def run_fanout_bench(args: argparse.Namespace) -> int:
    """``esvitlo bench fanout``: print the figures (one JSON object with ``--json``)."""
    try:
        result = asyncio.run(_main(args))
    except asyncio.CancelledError:
        print("esvitlo: bench fanout terminated", file=sys.stderr)
        return 143
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<20} {value}")
    return 0
