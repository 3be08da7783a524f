"""The outbox sender of an instance, with a Bot of its own, and the channel checks that use
the same Bot and send budget."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from esvitlo.app.assembly import make_send_budget
from esvitlo.app.telegram import make_bot
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.channel_health import ChannelHealthCheck
from esvitlo.services.channel_posts import ChannelPublisher
from esvitlo.services.delivery import DeliveryConfig, OutboxSender

if TYPE_CHECKING:  # aiogram is imported only when the service runs
    from aiogram import Bot

    from esvitlo.app.service import Service


@dataclass(frozen=True, slots=True)
class Delivery:
    """The running sender, its Bot, and the channel checks (started by the leader)."""

    bot: Bot
    sender: OutboxSender
    channel_health: ChannelHealthCheck


async def start_delivery(service: Service) -> Delivery:
    """Start the outbox sender with a Bot without the retry-on-429 middleware, so every flood
    wait reaches the shared send budget; build the channel checks over the same two."""
    from esvitlo.adapters.sql.channel_health import SqlChannelHealth
    from esvitlo.adapters.telegram_chats import TelegramChatInspector
    from esvitlo.adapters.telegram_sender import TelegramSender

    settings = service.settings
    bot = make_bot(settings, retry_after=False)
    budget = make_send_budget(settings, service.clock, service.redis)
    config = DeliveryConfig(
        max_attempts=settings.send_attempts, paid_broadcast=settings.paid_broadcast
    )
    sender = TelegramSender(bot)
    me = await (service.bot or bot).me()  # cached: the bot's routers ask too
    publisher = ChannelPublisher(service.storage.channels, sender, service.photos, me.username)
    alerts = AlertSender(sender, service.photos)
    outbox = OutboxSender(
        service.storage.outbox, sender, budget, service.clock, config, publisher, alerts
    )
    await outbox.start()
    health = ChannelHealthCheck(
        SqlChannelHealth(service.storage.engine),
        TelegramChatInspector(bot),
        budget,
        service.storage.outbox,
        service.clock,
        interval=settings.channel_check_interval,
    )
    return Delivery(bot, outbox, health)
