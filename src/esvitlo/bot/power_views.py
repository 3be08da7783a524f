"""What the power-at-home routers share: the local zone's texts, labels, and the list and
monitor screens."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import CallbackQuery, Message

from esvitlo.bot import power_keyboards as kb
from esvitlo.bot.deps import BotServices
from esvitlo.bot.views import show
from esvitlo.domain.accounts import ChannelStatus, Subscription
from esvitlo.domain.power_screens import ScreenTexts, monitor_screen, power_screen
from esvitlo.domain.texts import BotTexts, power_texts_for, texts_for
from esvitlo.services.monitors import OwnedMonitor

DEFAULT_ZONE = "Europe/Kyiv"


def screen_texts(svc: BotServices, lang: str, sub: Subscription | None) -> ScreenTexts:
    """The power texts of a language with the address's region zone (Kyiv when unknown)."""
    region = svc.catalogue.get(sub.region) if sub else None
    zone = ZoneInfo(region.tz if region else DEFAULT_ZONE)
    return ScreenTexts(power_texts_for(lang), texts_for(lang), zone)


def monitor_label(owned: OwnedMonitor) -> str:
    """The monitor's name on screens: its address's label."""
    return owned.address.label if owned.address else owned.monitor.target or "—"


async def show_monitors(
    event: Message | CallbackQuery, svc: BotServices, ui: BotTexts, lang: str, prefix: str = ""
) -> None:
    """The monitor list, optionally under a line such as "removed"."""
    assert event.from_user is not None
    owned = await svc.monitors.monitors_of(event.from_user.id)
    items = [(monitor_label(o), o.monitor) for o in owned]
    t = power_texts_for(lang)
    can_add = len(owned) < svc.monitors.max_monitors
    text = power_screen(items, t)
    await show(event, f"{prefix}\n\n{text}" if prefix else text, kb.monitors(ui, t, items, can_add))


async def has_channel(svc: BotServices, telegram_id: int, sub_id: int | None) -> bool:
    """Whether a live (active or paused) channel of the user publishes this address."""
    live = (ChannelStatus.ACTIVE, ChannelStatus.PAUSED)
    return any(
        o.subscription is not None and o.subscription.id == sub_id and o.channel.status in live
        for o in await svc.channels.list(telegram_id)
    )


async def show_monitor(
    event: Message | CallbackQuery,
    owned: OwnedMonitor,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
    prefix: str = "",
) -> None:
    """One monitor's state and actions, optionally under a line such as "saved"."""
    assert event.from_user is not None
    t = screen_texts(svc, lang, owned.address)
    linked = await has_channel(svc, event.from_user.id, owned.monitor.subscription_id)
    text = monitor_screen(
        monitor_label(owned), owned.monitor, svc.clock.now(), t, has_channel=linked
    )
    if svc.monitor_pages is not None and svc.calendar_base is not None:
        url = svc.calendar_base + await svc.monitor_pages.path_of(owned.monitor)
        text += "\n" + t.power.page_line.format(url=escape(url))
    markup = kb.monitor_actions(ui, t.power, owned.monitor)
    await show(event, f"{prefix}\n\n{text}" if prefix else text, markup)
