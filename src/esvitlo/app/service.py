"""The whole service on one instance, built from Settings: storage, schedule watch, power
watch, delivery, the bot and the web app, and which of them run on the leader only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.adapters.prober import NetworkProber
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.app.assembly import (
    freeze_startup_heap,
    make_coordinator,
    make_fetcher,
    make_retention,
    make_source,
    runtime_defaults,
    shared_source,
)
from esvitlo.app.delivery import start_delivery
from esvitlo.app.feeds import make_feeds
from esvitlo.app.listeners import open_listeners
from esvitlo.app.lookups import make_address_finder
from esvitlo.app.observability import metrics_of, readiness_of
from esvitlo.app.plan_fact_weekly import make_weekly_posts
from esvitlo.app.telegram import bot_services, fsm_storage, make_bot
from esvitlo.domain.power import Debounce
from esvitlo.domain.runtime_settings import RuntimeValues
from esvitlo.domain.sharding import owned_by
from esvitlo.ports import (
    ChangeSink,
    Clock,
    CoordinationUnavailable,
    Prober,
    RegionCheck,
)
from esvitlo.services.address_recheck import AddressRecheck
from esvitlo.services.channel_health import ChannelHealthCheck
from esvitlo.services.cluster_events import ClusterEvents
from esvitlo.services.coordination import LeaderElection
from esvitlo.services.crowd_watch import CrowdWatch
from esvitlo.services.delivery import OutboxSender
from esvitlo.services.heartbeats import HeartbeatReceiver
from esvitlo.services.monitor_pages import MonitorPages
from esvitlo.services.power_watch import PowerWatch
from esvitlo.services.public_schedules import PublicSchedules
from esvitlo.services.queue_others import QueueOthersLookup
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.runtime_settings import RuntimeSettings
from esvitlo.services.schedule_board import FanoutSink, ScheduleBoard
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.settings import Settings

if TYPE_CHECKING:  # aiogram, aiohttp.web and redis are imported only when the service runs
    from aiogram import Bot, Dispatcher
    from redis.asyncio import Redis

    from esvitlo.bot.deps import BotServices
    from esvitlo.web.listener import Listener


logger = logging.getLogger("esvitlo")


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
        self.started_at = self.clock.now()
        self.catalogue = settings.catalogue()
        self.storage = SqlStorage.from_engine(create_engine(settings.database_url), self.clock)
        self.coordinator, self._redis = make_coordinator(settings, self.clock)
        self.events = ClusterEvents(self.coordinator)
        self.source = make_source(settings)
        shared = shared_source(settings, self.source, self._redis)
        self.board = ScheduleBoard(
            self._refresh,
            settings.freshness(),
            clock=self.clock,
            max_age=timedelta(seconds=settings.poll_interval * 1.5),
        )
        self.photos = SchedulePhotos(ScheduleChart())  # one file_id cache for bot and channels
        self.lookups = make_address_finder(settings, self.catalogue, self.coordinator, self.clock)
        self.address_recheck = AddressRecheck(
            self.storage.address_book, self.lookups, self.storage.outbox, self.clock
        )
        # calendars and the JSON API, over the stored days (any instance serves them)
        self.feeds = make_feeds(settings, self.catalogue, self.storage, self.board, self.clock)
        self.public = PublicSchedules(self.catalogue, self.board, self.clock, ScheduleChart())
        store = self.storage
        self.monitor_pages = MonitorPages(
            store.app_flags, store.monitors, store.subscriptions, store.schedules,
            PowerWeekChart(), self.clock, regions=self.catalogue.regions,
        )  # fmt: skip
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
            lambda region: make_fetcher(settings, region, shared, self.clock),
            self.storage.schedules,
            FanoutSink([self.board, self.reminders, self.feeds.stored, *sinks]),
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
            others=QueueOthersLookup(self.storage.crowd, self.clock).others,
            crowd_rules=settings.crowd_rules(),
        )
        self.crowd = CrowdWatch(
            self.storage.crowd,
            self.storage.schedules,
            self.catalogue.regions,
            self.clock,
            rules=settings.crowd_rules(),
            interval=settings.crowd_interval,
        )
        self.heartbeats = HeartbeatReceiver(self.storage.power, self.clock)
        self.weekly_posts = make_weekly_posts(settings, self.storage, self.catalogue, self.clock)
        self.runtime = RuntimeSettings(
            self.storage.app_flags,
            runtime_defaults(settings),
            self.clock,
            apply=self._apply_runtime,
            events=self.events,
        )
        self._bot_services: BotServices | None = None
        self._live = [settings.instance_id]
        self.election = LeaderElection(
            self.coordinator,
            self.clock,
            ttl=settings.leader_ttl,
            on_elected=self._lead,
            on_demoted=self._follow,
            solo_fallback=self._redis is not None,  # alone, keep leading through an outage
        )
        self.channel_health: ChannelHealthCheck | None = None  # needs the bot and the budget
        self.bot: Bot | None = None
        self._polling: asyncio.Task[None] | None = None
        self._dispatcher: Dispatcher | None = None
        self._listeners: list[Listener] = []
        self.http_port: int | None = None  # the public listener's, once started
        self.metrics_port: int | None = None  # the private listener's (/metrics, /health/ready)
        self.delivery: OutboxSender | None = None
        self._delivery_bot: Bot | None = None

    @property
    def redis(self) -> Redis | None:
        """The Redis client shared by this instance's parts (None without REDIS_URL)."""
        return self._redis

    def _apply_runtime(self, values: RuntimeValues) -> None:
        """Hand the run-time settings to the parts that use them (each takes them on its
        next cycle)."""
        self.watch.set_interval(values.poll_interval)
        self.board.set_max_age(timedelta(seconds=values.poll_interval * 1.5))
        self.reminders.set_interval(values.reminder_interval)
        self.power.set_interval(values.probe_interval)
        self.power.set_debounce(Debounce(values.power_off_after, values.power_on_after))
        if self._bot_services is not None:
            self._bot_services.monitors.probe_every = timedelta(seconds=values.probe_interval)

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
        await self.crowd.start()
        await self.retention.start()
        await self.address_recheck.start()
        await self.weekly_posts.start()
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
        await self.crowd.stop()
        await self.retention.stop()
        await self.address_recheck.stop()
        await self.weekly_posts.stop()
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
        return bot_services(self)

    async def start(self) -> None:
        """Migrate, start the bot, delivery, web and power watch, then join the election: the
        leader also polls Telegram and runs the schedule watch and the periodic tasks."""
        await upgrade_engine(self.storage.engine)
        try:
            await self.runtime.start()  # stored values win over the environment's
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

        bot = self.bot = make_bot(self.settings)
        self._bot_services = self.services()
        self._apply_runtime(self.runtime.current)
        dispatcher = self._dispatcher = build_dispatcher(
            self._bot_services, fsm_storage(self.settings, self.storage)
        )
        await self.events.on_settings_changed(dispatcher["languages"].forget)
        await self.events.on_pause_changed(dispatcher["pause_gate"].invalidate)
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
        """Run the outbox sender (and build the channel checks the leader runs)."""
        started = await start_delivery(self)
        self._delivery_bot, self.delivery = started.bot, started.sender
        self.channel_health = started.channel_health

    async def _start_web(
        self, dispatcher: Dispatcher | None = None, bot: Bot | None = None
    ) -> None:
        """Serve /health, the heartbeats (and the webhook when a bot is given) on
        HTTP_HOST:HTTP_PORT, and /metrics and /health/ready on METRICS_HOST:METRICS_PORT."""
        from esvitlo.web import build_private_app, build_public_app
        from esvitlo.web.status_pages import StatusPages

        settings = self.settings
        secret = settings.webhook_secret
        public = build_public_app(
            dispatcher,
            bot,
            webhook_path=urlsplit(settings.webhook_url or "").path or "/webhook",
            secret_token=secret.get_secret_value() if secret else None,
            heartbeat=self.heartbeats.beat,
            status_pages=StatusPages(
                self.public,
                base_url=settings.public_base_url(),
                refresh=settings.page_refresh,
                crowd=QueueOthersLookup(self.storage.crowd, self.clock).everyone,
                crowd_rules=settings.crowd_rules(),
            ),
            calendars=self.feeds.calendars,
            api=self.feeds.api(self.clock),
            monitor_pages=self.monitor_pages,
            admin=self._bot_services.dashboard if self._bot_services else None,
        )
        private = build_private_app(readiness_of(self), metrics_of(self))
        self._listeners = await open_listeners(settings, public, private)
        self.http_port, self.metrics_port = (item.port for item in self._listeners)

    async def stop(self) -> None:
        """Hand leadership over (which stops polling and the leader's tasks, see ``_follow``),
        stop sending and probing, and close every connection.

        Another instance takes the leadership at once. The webhook is left in place: a
        rolling update's next instance still needs it.
        """
        await self.election.stop()
        await self.runtime.stop()
        if self.delivery is not None:
            await self.delivery.stop()
            self.delivery = None
        if self._delivery_bot is not None:
            await self._delivery_bot.session.close()
            self._delivery_bot = None
        listeners, self._listeners = self._listeners, []
        for listener in listeners:
            await listener.stop()
        if self._dispatcher is not None:
            await self._dispatcher.storage.close()
        if self.bot is not None:
            await self.bot.session.close()
        self._dispatcher = self.bot = None
        await self.power.stop()
        if self._own_prober is not None:
            await self._own_prober.close()
        await self.source.close()
        await self.lookups.close()
        await self.coordinator.close()
        await self.storage.close()
        logger.info("app.stopped")
