"""The Telegram side of an instance: Bot clients, the FSM storage and the bot's services.

aiogram is imported only inside these functions, so the CLI paths that never run the bot
never import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from esvitlo import __version__
from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.adapters.sql.plan_fact import SqlCrowdHistory
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.app.admin_dashboard import make_admin_dashboard
from esvitlo.ports import CoordinationUnavailable
from esvitlo.services.accounts import AccountService
from esvitlo.services.admin import AdminService, SystemInfo
from esvitlo.services.channels import ChannelService
from esvitlo.services.current_posts import CurrentSchedulePosts
from esvitlo.services.monitors import MonitorService
from esvitlo.services.plan_fact import PlanFactReports
from esvitlo.services.power_reports import PowerReports
from esvitlo.services.preferences import PreferenceService
from esvitlo.settings import Settings

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.fsm.storage.base import BaseStorage

    from esvitlo.app.service import Service
    from esvitlo.bot.deps import BotServices


def bot_services(service: Service) -> BotServices:
    """The services the bot's handlers call, over the instance's storage."""
    from esvitlo.bot.deps import BotServices

    settings, storage = service.settings, service.storage
    channels = ChannelService(storage.users, storage.subscriptions, storage.channels)
    monitors = MonitorService(
        storage.users,
        storage.subscriptions,
        storage.monitors,
        service.prober,  # a new monitor's first probe
        service.clock,
        public_url=settings.public_base_url(),
        max_monitors=settings.max_monitors,
        probe_interval=service.runtime.current.probe_interval,
    )
    admin = AdminService(
        settings.admin_ids,
        storage.admin,
        storage.outbox,
        storage.app_flags,
        users=storage.users,
        events=service.events,
        system=lambda: system_info(service),
        runtime=service.runtime,
    )
    return BotServices(
        accounts=AccountService(
            storage.users,
            storage.subscriptions,
            max_subscriptions=settings.max_subscriptions,
            events=service.events,
        ),
        prefs=PreferenceService(storage.users, storage.notification_prefs),
        channels=channels,
        admin=admin,
        board=service.board,
        photos=service.photos,
        catalogue=service.catalogue,
        clock=service.clock,
        monitors=monitors,
        power_reports=PowerReports(
            monitors,
            storage.monitors,
            storage.schedules,
            PowerWeekChart(),
            service.clock,
            regions=service.catalogue.regions,
        ),
        current_posts=CurrentSchedulePosts(
            channels, service.board, service.catalogue, storage.outbox, service.clock
        ),
        lookup=service.lookups,
        address_recheck=service.address_recheck,
        calendars=service.feeds.calendars,
        calendar_base=service.settings.calendar_base_url(),
        monitor_pages=service.monitor_pages,
        plan_fact=PlanFactReports(
            SqlCrowdHistory(storage.engine),
            storage.schedules,
            service.catalogue.regions,
            service.clock,
            rules=settings.crowd_rules(),
        ),
        dashboard=make_admin_dashboard(service, admin),
        weekly_posts=service.weekly_posts,
    )


async def system_info(service: Service) -> SystemInfo:
    """Version, this instance and the live ones, leadership, start time and backends."""
    me = service.settings.instance_id
    try:
        live = tuple(await service.coordinator.live_instances()) or (me,)
    except CoordinationUnavailable:
        live = (me,)
    return SystemInfo(
        version=__version__,
        instance=me,
        instances=live,
        leader=service.election.is_leader,
        started_at=service.started_at,
        database=service.storage.engine.dialect.name,
        redis=service.settings.redis_url is not None,
    )


def fsm_storage(settings: Settings, storage: SqlStorage) -> BaseStorage:
    """Conversation state in Redis with ``REDIS_URL`` (expiring like the SQL rows; in the
    database while Redis is unreachable), else in the database."""
    from esvitlo.adapters.fsm_storage import ConversationFsmStorage

    in_database = ConversationFsmStorage(storage.conversations)
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        from esvitlo.adapters.fallback_fsm_storage import FallbackFsmStorage

        ttl = int(settings.conversation_ttl_hours * 3600)
        timeouts = {"socket_timeout": 2.0, "socket_connect_timeout": 2.0}
        in_redis = RedisStorage.from_url(
            settings.redis_url, connection_kwargs=timeouts, state_ttl=ttl, data_ttl=ttl
        )
        return FallbackFsmStorage(in_redis, in_database)
    return in_database


def make_bot(settings: Settings, *, retry_after: bool = True) -> Bot:
    """A Bot on the configured API server; ``retry_after``: retry once after a short flood
    wait (interactive replies; the delivery sender needs every 429 itself)."""
    from aiogram import Bot
    from aiogram.client.default import DefaultBotProperties
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    from esvitlo.bot.retry import RetryAfterOnce

    assert settings.bot_token is not None
    api = settings.telegram_api_url
    session = AiohttpSession(api=TelegramAPIServer.from_base(api)) if api else AiohttpSession()
    if retry_after:
        session.middleware(RetryAfterOnce())
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode="HTML", link_preview_is_disabled=True),
    )
