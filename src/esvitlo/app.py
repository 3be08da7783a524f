"""The composition root: builds adapters from Settings, wires the services, runs and stops them."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from esvitlo.adapters import logs
from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.logs import LogFormat
from esvitlo.adapters.memory_coordinator import MemoryCoordinator
from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.adapters.prober import NetworkProber
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.retention import SqlRetention
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import assess
from esvitlo.domain.model import DataStatus, RegionSnapshot
from esvitlo.domain.sharding import owned_by
from esvitlo.ports import (
    ChangeSink,
    Clock,
    CoordinationUnavailable,
    Coordinator,
    Prober,
    RegionCheck,
    ScheduleSource,
    SendBudget,
)
from esvitlo.services.accounts import AccountService
from esvitlo.services.admin import AdminService
from esvitlo.services.channel_health import ChannelHealthCheck
from esvitlo.services.channel_posts import ChannelPublisher
from esvitlo.services.channels import ChannelService
from esvitlo.services.coordination import LeaderElection
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.heartbeats import HeartbeatReceiver
from esvitlo.services.monitors import MonitorService
from esvitlo.services.power_watch import PowerWatch
from esvitlo.services.preferences import PreferenceService
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.retention import RetentionPolicy, RetentionTask
from esvitlo.services.schedule_board import FanoutSink, ScheduleBoard
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.services.send_budget import PAID_RATE, LocalSendBudget, default_margin
from esvitlo.settings import Settings

if TYPE_CHECKING:  # aiogram and aiohttp.web are imported only when the service runs
    from aiogram import Bot, Dispatcher
    from aiogram.fsm.storage.base import BaseStorage
    from aiohttp import web
    from redis.asyncio import Redis

    from esvitlo.bot.deps import BotServices
    from esvitlo.web.health import Readiness
    from esvitlo.web.metrics import ServiceMetrics

logger = logging.getLogger("esvitlo")

HOW_TO_GET_A_BOT = """\
BOT_TOKEN is not set, so the bot cannot start.

To get a token: open Telegram, talk to @BotFather, send /newbot, choose a name and a
username; BotFather replies with a token like 123456789:AAE...  Then run:

    BOT_TOKEN=123456789:AAE... make run

(or put BOT_TOKEN=... into a .env file here). To see the product without a token and
without internet, run the demo instead:

    .venv/bin/esvitlo demo
"""


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


def configure_logging(
    level: str, *, plain: bool = False, fmt: LogFormat = "auto", secrets: Sequence[str] = ()
) -> None:
    """Log events with fields on stderr: JSON lines, or console lines on a terminal
    (``plain``: without the time); ``secrets`` never appear (see adapters.logs)."""
    logs.configure_logging(level, fmt=fmt, plain=plain, secrets=secrets)


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


def make_send_budget(settings: Settings, clock: Clock, redis: Redis | None) -> SendBudget:
    """Telegram's limits for this instance alone, or for all instances together via Redis
    (a quarter of the rate locally while Redis is unreachable)."""
    rate = PAID_RATE if settings.paid_broadcast else settings.send_rate
    if redis is None:
        return LocalSendBudget(clock, rate=rate)
    from esvitlo.adapters.redis_send_budget import RedisSendBudget

    fallback = LocalSendBudget(clock, rate=max(1.0, rate / 4))
    return RedisSendBudget(redis, clock, fallback, rate=rate, margin=default_margin(rate))


class Service:
    """The whole service on one instance: storage, schedule watch and the Telegram bot."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        sinks: Sequence[ChangeSink] = (),
        prober: Prober | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.catalogue = settings.catalogue()
        self.storage = SqlStorage.from_engine(create_engine(settings.database_url), self.clock)
        self.source = make_source(settings)
        self.board = ScheduleBoard(self._refresh, settings.freshness())
        self.photos = SchedulePhotos(ScheduleChart())  # one file_id cache for bot and channels
        self.reminders = ReminderPlanner(
            self.catalogue.regions,
            self.storage.schedules,
            self.storage.reminders,
            self.clock,
            interval=settings.reminder_interval,
            window=timedelta(hours=settings.reminder_window_hours),
        )
        self.watch = ScheduleWatch(
            self.catalogue.regions,
            lambda region: make_fetcher(settings, region, self.source, self.clock),
            self.storage.schedules,
            FanoutSink([self.board, self.reminders, *sinks]),
            self.clock,
            interval=settings.poll_interval,
            jitter=settings.poll_jitter,
        )
        self.retention = make_retention(settings, self.storage, self.clock)
        self._own_prober: NetworkProber | None = None
        if prober is None:  # tests pass a fake; the product probes the network
            prober = self._own_prober = NetworkProber(timeout=settings.probe_timeout)
        self.prober = prober
        self.power = PowerWatch(
            self.storage.power,
            self.prober,
            self.storage.schedules,
            self.catalogue.regions,
            self.clock,
            interval=settings.probe_interval,
            concurrency=settings.probe_concurrency,
            debounce=settings.debounce(),
            owned=self._owned_monitors,
        )
        self.heartbeats = HeartbeatReceiver(self.storage.power, self.clock)
        self.coordinator, self._redis = make_coordinator(settings, self.clock)
        self._live = [settings.instance_id]
        self.election = LeaderElection(
            self.coordinator,
            self.clock,
            ttl=settings.leader_ttl,
            on_elected=self._lead,
            on_demoted=self._follow,
        )
        self.channel_health: ChannelHealthCheck | None = None  # needs the bot and the budget
        self.bot: Bot | None = None
        self._polling: asyncio.Task[None] | None = None
        self._dispatcher: Dispatcher | None = None
        self._web: web.AppRunner | None = None
        self.http_port: int | None = None
        self.delivery: OutboxSender | None = None
        self._delivery_bot: Bot | None = None

    async def _owned_monitors(self, monitor_ids: Sequence[int]) -> list[int]:
        """The monitors this instance probes: its share among the live instances (the last
        known list while the coordinator is unreachable)."""
        with suppress(CoordinationUnavailable):
            self._live = await self.coordinator.live_instances() or self._live
        me = self.settings.instance_id
        return [int(key) for key in owned_by(me, [str(i) for i in monitor_ids], self._live)]

    async def _lead(self) -> None:
        """Elected: take the work only one instance may do (polling Telegram, the schedule
        watch, reminder planning, retention, channel checks)."""
        logger.info("app.leading instance=%s", self.settings.instance_id)
        await self.watch.start()
        await self.reminders.start()
        await self.retention.start()
        if self.channel_health is not None:
            await self.channel_health.start()
        if self._dispatcher is not None and self.bot is not None and self._polls():
            polling = self._dispatcher.start_polling(
                self.bot, handle_signals=False, close_bot_session=False
            )
            self._polling = asyncio.create_task(polling, name="telegram-polling")

    async def _follow(self) -> None:
        """Demoted (or stopping): hand the single-instance work back."""
        logger.info("app.following instance=%s", self.settings.instance_id)
        await self._stop_polling()
        await self.watch.stop()
        await self.reminders.stop()
        await self.retention.stop()
        if self.channel_health is not None:
            await self.channel_health.stop()

    def _polls(self) -> bool:
        return self.settings.bot_token is not None and self.settings.bot_mode == "polling"

    async def _stop_polling(self) -> None:
        polling, self._polling = self._polling, None
        if self._dispatcher is not None and polling is not None:
            with suppress(RuntimeError):  # polling never got going
                await self._dispatcher.stop_polling()
            await asyncio.gather(polling, return_exceptions=True)

    async def _refresh(self, region: str) -> RegionCheck:
        return await self.watch.check_region(region)

    def services(self) -> BotServices:
        """The bot's services over this instance's storage (see esvitlo.bot.deps)."""
        from esvitlo.bot.deps import BotServices

        storage = self.storage
        return BotServices(
            accounts=AccountService(
                storage.users,
                storage.subscriptions,
                max_subscriptions=self.settings.max_subscriptions,
            ),
            prefs=PreferenceService(storage.users, storage.notification_prefs),
            channels=ChannelService(storage.users, storage.subscriptions, storage.channels),
            admin=AdminService(
                self.settings.admin_ids, storage.admin, storage.outbox, storage.app_flags
            ),
            board=self.board,
            photos=self.photos,
            catalogue=self.catalogue,
            clock=self.clock,
            monitors=self._monitor_service(),
        )

    def _monitor_service(self) -> MonitorService:
        """Power monitors as users manage them (the first probe goes through ``prober``)."""
        storage = self.storage
        return MonitorService(
            storage.users,
            storage.subscriptions,
            storage.monitors,
            self.prober,
            storage.schedules,
            PowerWeekChart(),
            self.clock,
            regions=self.catalogue.regions,
            public_url=self.settings.public_base_url(),
            max_monitors=self.settings.max_monitors,
        )

    def _fsm_storage(self) -> BaseStorage:
        from esvitlo.adapters.fsm_storage import ConversationFsmStorage

        if self.settings.redis_url:
            from aiogram.fsm.storage.redis import RedisStorage

            ttl = int(self.settings.conversation_ttl_hours * 3600)  # wizards expire like SQL ones
            return RedisStorage.from_url(self.settings.redis_url, state_ttl=ttl, data_ttl=ttl)
        return ConversationFsmStorage(self.storage.conversations)

    def _make_bot(self, *, retry_after: bool = True) -> Bot:
        from aiogram import Bot
        from aiogram.client.default import DefaultBotProperties
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        assert self.settings.bot_token is not None
        api = self.settings.telegram_api_url
        from esvitlo.bot.retry import RetryAfterOnce

        session = AiohttpSession(api=TelegramAPIServer.from_base(api)) if api else AiohttpSession()
        if retry_after:
            session.middleware(RetryAfterOnce())
        return Bot(
            self.settings.bot_token.get_secret_value(),
            session=session,
            default=DefaultBotProperties(parse_mode="HTML", link_preview_is_disabled=True),
        )

    async def start(self) -> None:
        """Migrate, start the bot, delivery, web and power watch, then join the election: the
        leader also polls Telegram and runs the schedule watch and the periodic tasks."""
        await upgrade_engine(self.storage.engine)
        try:
            await self._start_bot()
            await self.power.start()
            await self.election.start()
        except BaseException:
            await self.stop()
            raise
        freeze_startup_heap()
        logger.info(
            "app.started regions=%d bot=%s", len(self.catalogue.regions), self.bot is not None
        )

    async def _start_bot(self) -> None:
        """Build the bot; poll, or serve the webhook (which is set but never deleted)."""
        if self.settings.bot_token is None:
            await self._start_web()
            return
        from esvitlo.bot import build_dispatcher, set_commands

        bot = self.bot = self._make_bot()
        dispatcher = self._dispatcher = build_dispatcher(self.services(), self._fsm_storage())
        await set_commands(bot)
        await self._start_delivery()
        if self.settings.bot_mode == "webhook":
            await self._start_web(dispatcher, bot)
            secret = self.settings.webhook_secret
            await bot.set_webhook(
                str(self.settings.webhook_url),
                secret_token=secret.get_secret_value() if secret else None,
                allowed_updates=dispatcher.resolve_used_update_types(),
            )
            return
        await self._start_web()
        await bot.delete_webhook()  # polling and a webhook exclude each other

    async def _start_delivery(self) -> None:
        """Run the outbox sender with a Bot of its own: no retry-on-429 middleware there, so
        every flood wait reaches the shared send budget."""
        from esvitlo.adapters.telegram_sender import TelegramSender

        self._delivery_bot = self._make_bot(retry_after=False)
        paid = self.settings.paid_broadcast
        budget = make_send_budget(self.settings, self.clock, self._redis)
        config = DeliveryConfig(max_attempts=self.settings.send_attempts, paid_broadcast=paid)
        sender = TelegramSender(self._delivery_bot)
        publisher = ChannelPublisher(self.storage.channels, sender, self.photos)
        self.delivery = OutboxSender(
            self.storage.outbox, sender, budget, self.clock, config, publisher
        )
        await self.delivery.start()
        await self._start_channel_health(budget)

    async def _start_channel_health(self, budget: SendBudget) -> None:
        """Check every channel once per interval through the delivery Bot and its budget."""
        from esvitlo.adapters.sql.channel_health import SqlChannelHealth
        from esvitlo.adapters.telegram_chats import TelegramChatInspector

        assert self._delivery_bot is not None
        self.channel_health = ChannelHealthCheck(
            SqlChannelHealth(self.storage.engine),
            TelegramChatInspector(self._delivery_bot),
            budget,
            self.storage.outbox,
            self.clock,
            interval=self.settings.channel_check_interval,
        )  # started by the leader

    async def _start_web(
        self, dispatcher: Dispatcher | None = None, bot: Bot | None = None
    ) -> None:
        """Serve /health, /health/ready, /metrics (and the webhook when a bot is given) on
        HTTP_HOST:HTTP_PORT."""
        from aiohttp import web

        from esvitlo.web import build_web_app

        secret = self.settings.webhook_secret
        app = build_web_app(
            dispatcher,
            bot,
            webhook_path=urlsplit(self.settings.webhook_url or "").path or "/webhook",
            secret_token=secret.get_secret_value() if secret else None,
            readiness=self._readiness(),
            metrics=self._metrics(),
            heartbeat=self.heartbeats.beat,
        )
        self._web = web.AppRunner(app, access_log=None)
        await self._web.setup()
        site = web.TCPSite(self._web, self.settings.http_host, self.settings.http_port)
        await site.start()
        self.http_port = int(self._web.addresses[0][1])
        logger.info("app.http_listening port=%s", self.http_port)

    def _readiness(self) -> Readiness:
        """The checks of /health/ready: database and Redis answer, schedules are fresh."""
        from esvitlo.web.health import Readiness, outbox_check, ping_check, schedule_check

        max_age = timedelta(seconds=self.settings.ready_max_check_age)
        checks = {
            "database": ping_check(self.storage.ping),
            "schedules": schedule_check(
                self.watch, self.clock, max_age=max_age, since=self.clock.now()
            ),
            "outbox": outbox_check(self.storage.outbox.oldest_pending_due, self.clock),
        }
        redis_url = self.settings.redis_url
        if redis_url:
            checks["redis"] = ping_check(lambda: ping_redis(redis_url))
        return Readiness(checks, critical=frozenset({"database", "schedules", "redis"}))

    def _metrics(self) -> ServiceMetrics:
        """The /metrics registry over this instance's counters."""
        from esvitlo.web.metrics import MetricSources, ServiceMetrics

        return ServiceMetrics(
            MetricSources(
                regions=lambda: self.watch.stats,
                delivery=lambda: self.delivery,
                outbox_pending=self.storage.outbox.pending_count,
                probe_results=lambda: {str(k): v for k, v in self.power.stats.probes.items()},
                pruned_rows=self._pruned_rows,
                channel_checks=self._channel_checks,
                leader=lambda: self.election.is_leader,
            )
        )

    def _pruned_rows(self) -> dict[str, int]:
        stats = self.retention.stats
        return {
            "outbox": stats.outbox_rows,
            "schedule_days": stats.schedule_day_rows,
            "conversations": stats.conversation_rows,
        }

    def _channel_checks(self) -> dict[str, int]:
        if self.channel_health is None:
            return {}
        stats = self.channel_health.stats
        return {
            "healthy": stats.healthy,
            "unhealthy": stats.unhealthy,
            "error": stats.errors,
        }

    async def stop(self) -> None:
        """Stop taking updates, then the watch, and close every connection.

        Leadership is handed over first, so another instance takes it at once. The webhook
        is left in place: a rolling update's next instance still needs it.
        """
        await self.election.stop()
        if self.channel_health is not None:
            await self.channel_health.stop()
            self.channel_health = None
        if self.delivery is not None:
            await self.delivery.stop()
            self.delivery = None
        if self._delivery_bot is not None:
            await self._delivery_bot.session.close()
            self._delivery_bot = None
        await self._stop_polling()
        if self._web is not None:
            await self._web.cleanup()
            self._web = None
        if self._dispatcher is not None:
            await self._dispatcher.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        self._polling = self._dispatcher = self.bot = None
        await self.watch.stop()
        await self.power.stop()
        if self._own_prober is not None:
            await self._own_prober.close()
        await self.retention.stop()
        await self.reminders.stop()
        await self.source.close()
        await self.coordinator.close()
        await self.storage.close()
        logger.info("app.stopped")


def _secrets(settings: Settings) -> list[str]:
    """The configured secrets the logs must never show: tokens and database passwords."""
    values = (settings.bot_token, settings.webhook_secret)
    secrets = [value.get_secret_value() for value in values if value is not None]
    urls = (settings.database_url, settings.redis_url or "")
    return secrets + [password for url in urls if (password := urlsplit(url).password)]


async def run_service(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM; without a bot token, explain how to get one."""
    configure_logging(settings.log_level, fmt=settings.log_format, secrets=_secrets(settings))
    logs.bind_log_context(instance=settings.instance_id)
    if settings.bot_token is None:
        print(HOW_TO_GET_A_BOT, file=sys.stderr)
        return 2
    service = Service(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await service.start()
    try:
        await stop.wait()
    finally:
        await service.stop()
    return 0
