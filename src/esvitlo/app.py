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

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.domain.catalogue import Region
from esvitlo.domain.freshness import assess
from esvitlo.domain.model import DataStatus, RegionSnapshot
from esvitlo.ports import ChangeSink, Clock, RegionCheck, ScheduleSource
from esvitlo.services.accounts import AccountService
from esvitlo.services.admin import AdminService
from esvitlo.services.channel_posts import ChannelPublisher
from esvitlo.services.channels import ChannelService
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.preferences import PreferenceService
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.schedule_board import FanoutSink, ScheduleBoard
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.services.send_budget import PAID_RATE, LocalSendBudget
from esvitlo.settings import Settings

if TYPE_CHECKING:  # aiogram and aiohttp.web are imported only when the service runs
    from aiogram import Bot, Dispatcher
    from aiogram.fsm.storage.base import BaseStorage
    from aiohttp import web

    from esvitlo.bot.deps import BotServices

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


def configure_logging(level: str, *, plain: bool = False) -> None:
    """English log lines with key=value fields on stderr (``plain``: without time and name)."""
    fmt = "%(levelname)s %(message)s" if plain else "%(asctime)s %(levelname)s %(name)s %(message)s"
    logging.basicConfig(level=level.upper(), format=fmt)


async def migrate(settings: Settings) -> None:
    """Apply the database migrations up to the newest."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade_engine(engine)
    finally:
        await engine.dispose()


def freeze_startup_heap() -> None:
    """Take everything alive after start-up out of the garbage collector's sight (gc.freeze).

    aiogram's pydantic models alone make a full collection take about 160 ms; such a pause
    bunches the sender's evenly spaced messages past Telegram's limits (429s at paid broadcast
    rates) and the collections cost a fifth of its CPU (BENCHMARKS.md, fan-out).
    """
    gc.collect()
    gc.freeze()


class Service:
    """The whole service on one instance: storage, schedule watch and the Telegram bot."""

    def __init__(
        self, settings: Settings, *, clock: Clock | None = None, sinks: Sequence[ChangeSink] = ()
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
        self.bot: Bot | None = None
        self._polling: asyncio.Task[None] | None = None
        self._dispatcher: Dispatcher | None = None
        self._web: web.AppRunner | None = None
        self.http_port: int | None = None
        self.delivery: OutboxSender | None = None
        self._delivery_bot: Bot | None = None

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
        )

    def _fsm_storage(self) -> BaseStorage:
        from esvitlo.adapters.fsm_storage import ConversationFsmStorage

        if self.settings.redis_url:
            from aiogram.fsm.storage.redis import RedisStorage

            return RedisStorage.from_url(self.settings.redis_url)
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
        """Migrate, start the schedule watch and, with a token, the bot's long polling."""
        await upgrade_engine(self.storage.engine)
        await self.reminders.start()
        await self.watch.start()
        try:
            await self._start_bot()
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
        polling = dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
        self._polling = asyncio.create_task(polling, name="telegram-polling")

    async def _start_delivery(self) -> None:
        """Run the outbox sender with a Bot of its own: no retry-on-429 middleware there, so
        every flood wait reaches the shared send budget."""
        from esvitlo.adapters.telegram_sender import TelegramSender

        self._delivery_bot = self._make_bot(retry_after=False)
        paid = self.settings.paid_broadcast
        budget = LocalSendBudget(self.clock, rate=PAID_RATE if paid else self.settings.send_rate)
        config = DeliveryConfig(max_attempts=self.settings.send_attempts, paid_broadcast=paid)
        sender = TelegramSender(self._delivery_bot)
        publisher = ChannelPublisher(self.storage.channels, sender, self.photos)
        self.delivery = OutboxSender(
            self.storage.outbox, sender, budget, self.clock, config, publisher
        )
        await self.delivery.start()

    async def _start_web(
        self, dispatcher: Dispatcher | None = None, bot: Bot | None = None
    ) -> None:
        """Serve /health (and the webhook when a bot is given) on HTTP_HOST:HTTP_PORT."""
        from aiohttp import web

        from esvitlo.web import build_web_app

        secret = self.settings.webhook_secret
        app = build_web_app(
            dispatcher,
            bot,
            webhook_path=urlsplit(self.settings.webhook_url or "").path or "/webhook",
            secret_token=secret.get_secret_value() if secret else None,
        )
        self._web = web.AppRunner(app, access_log=None)
        await self._web.setup()
        site = web.TCPSite(self._web, self.settings.http_host, self.settings.http_port)
        await site.start()
        self.http_port = int(self._web.addresses[0][1])
        logger.info("app.http_listening port=%s", self.http_port)

    async def stop(self) -> None:
        """Stop taking updates, then the watch, and close every connection.

        The webhook is left in place: a rolling update's next instance still needs it.
        """
        if self.delivery is not None:
            await self.delivery.stop()
            self.delivery = None
        if self._delivery_bot is not None:
            await self._delivery_bot.session.close()
            self._delivery_bot = None
        if self._dispatcher is not None and self._polling is not None:
            with suppress(RuntimeError):  # polling never got going
                await self._dispatcher.stop_polling()
            await asyncio.gather(self._polling, return_exceptions=True)
        if self._web is not None:
            await self._web.cleanup()
            self._web = None
        if self._dispatcher is not None:
            await self._dispatcher.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        self._polling = self._dispatcher = self.bot = None
        await self.watch.stop()
        await self.reminders.stop()
        await self.source.close()
        await self.storage.close()
        logger.info("app.stopped")


async def run_service(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM; without a bot token, explain how to get one."""
    configure_logging(settings.log_level)
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
