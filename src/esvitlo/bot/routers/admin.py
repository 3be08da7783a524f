"""Admin commands, for the configured ADMIN_IDS only: /stats, /broadcast, /pause, /resume."""

from __future__ import annotations

from html import escape

from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from esvitlo.bot.deps import BotServices
from esvitlo.bot.middlewares import PauseMiddleware
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import region_name
from esvitlo.domain.texts import BotTexts

router = RouterSpec("admin")


class IsAdmin(Filter):
    """Passes only messages from configured admins; others fall through to the fallback."""

    async def __call__(self, message: Message, svc: BotServices) -> bool:
        return message.from_user is not None and svc.admin.is_admin(message.from_user.id)


router.filter("message", IsAdmin())


@router.message(Command("stats"))
async def stats(message: Message, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """Users, subscriptions per region, channels, pending outbox."""
    found = await svc.admin.stats()
    regions = "\n".join(
        ui.admin_region_line.format(region=region_name(svc.catalogue, r, lang), count=n)
        for r, n in sorted(found.subscriptions_by_region.items(), key=lambda item: -item[1])
    )
    await message.answer(
        ui.admin_stats.format(
            users=found.users,
            active=found.active_users,
            subscriptions=sum(found.subscriptions_by_region.values()),
            channels=found.channels,
            pending=found.pending_outbox,
            regions=regions,
        )
    )


@router.message(Command("broadcast"))
async def broadcast(
    message: Message, command: CommandObject, svc: BotServices, ui: BotTexts
) -> None:
    """Queue a message to every active user; the delivery pipeline sends it."""
    text = (command.args or "").strip()
    if not text:
        await message.answer(ui.broadcast_usage)
        return
    count = await svc.admin.broadcast(escape(text), svc.clock.now())
    await message.answer(ui.broadcast_queued.format(count=count))


@router.message(Command("pause"))
async def pause(
    message: Message,
    command: CommandObject,
    svc: BotServices,
    ui: BotTexts,
    pause_gate: PauseMiddleware,
) -> None:
    """Pause the bot for users, with an optional message."""
    await svc.admin.set_pause(escape(command.args.strip()) if command.args else ui.paused_default)
    pause_gate.invalidate()
    await message.answer(ui.pause_on)


@router.message(Command("resume"))
async def resume(
    message: Message, svc: BotServices, ui: BotTexts, pause_gate: PauseMiddleware
) -> None:
    """End pause mode."""
    await svc.admin.set_pause(None)
    pause_gate.invalidate()
    await message.answer(ui.pause_off)
