"""Admin commands, for the configured ADMIN_IDS only: /stats, /system, /user, /users, /reply,
/broadcast, /pause, /resume, /settings_show, /set and /dashboard (a login link to /admin)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import LinkPreviewOptions, Message

from esvitlo.bot.deps import BotServices
from esvitlo.bot.middlewares import PauseMiddleware
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import region_name
from esvitlo.domain.admin_messages import pause_flag
from esvitlo.domain.plan_fact_render import plan_fact_section
from esvitlo.domain.runtime_settings import RULES, InvalidSetting, RuntimeValues, SettingRule, Unit
from esvitlo.domain.texts import BotTexts, Texts, format_duration, queue_title
from esvitlo.domain.texts.admin_web import LOGIN_MINUTES, admin_web_texts_for
from esvitlo.domain.texts.numbers import Plural, counted, plural_of

router = RouterSpec("admin")


class IsAdmin(Filter):
    """Passes only messages from configured admins; others fall through to the fallback."""

    async def __call__(self, message: Message, svc: BotServices) -> bool:
        return message.from_user is not None and svc.admin.is_admin(message.from_user.id)


router.filter("message", IsAdmin())


@router.message(Command("stats"))
async def stats(message: Message, svc: BotServices, ui: BotTexts, texts: Texts, lang: str) -> None:
    """Users, subscriptions per region, channels, pending outbox; plan versus fact."""
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
        + await _plan_fact(svc, ui, texts, lang)
    )


async def _plan_fact(svc: BotServices, ui: BotTexts, texts: Texts, lang: str) -> str:
    """The plan-versus-fact section of /stats (empty when the service has none)."""
    if svc.plan_fact is None:
        return ""
    queues = (await svc.plan_fact.week()).queues
    regions = {q.region: svc.catalogue.get(q.region) for q in queues}
    names = {r: found.name(lang) for r, found in regions.items() if found is not None}
    return "\n\n" + plan_fact_section(queues, names, ui, texts)


@router.message(Command("dashboard"))
async def dashboard(message: Message, svc: BotServices, lang: str) -> None:
    """A one-time login link to the web dashboard ``/admin`` (no preview: a previewer must
    not open it)."""
    if svc.dashboard is None or message.from_user is None:
        return
    url = await svc.dashboard.login_link(message.from_user.id)
    if url is None:
        return
    texts = admin_web_texts_for(lang)
    await message.answer(
        texts.bot_link.format(url=escape(url), minutes=LOGIN_MINUTES),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
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
    counted_messages = counted(count, ui.messages_forms, ui.lang)
    await message.answer(ui.broadcast_queued.format(count=counted_messages))


@router.message(Command("pause"))
async def pause(
    message: Message,
    command: CommandObject,
    svc: BotServices,
    ui: BotTexts,
    pause_gate: PauseMiddleware,
) -> None:
    """Pause the bot for users: ``/pause`` (maintenance), ``/pause update`` (templates every user
    reads in their language) or ``/pause <own text>``."""
    await svc.admin.set_pause(pause_flag(command.args))
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


def _telegram_id(text: str) -> int | None:
    """A Telegram user id typed by an admin, or None when it is not one."""
    return int(text) if text.isdigit() and 0 < len(text) <= 15 else None


@router.message(Command("system"))
async def system(message: Message, svc: BotServices, ui: BotTexts, texts: Texts) -> None:
    """Version, instances, leadership, uptime, database and Redis."""
    info = await svc.admin.system_info()
    if info is None:
        return
    uptime = svc.clock.now() - info.started_at
    minutes = int(max(uptime, timedelta(0)).total_seconds() // 60)
    await message.answer(
        ui.admin_system.format(
            version=escape(info.version),
            instance=escape(info.instance),
            instances=escape(", ".join(info.instances)),
            leader=ui.yes if info.leader else ui.no,
            uptime=format_duration(minutes, texts),
            database=escape(info.database),
            redis=ui.yes if info.redis else ui.no,
        )
    )


@router.message(Command("user"))
async def user(
    message: Message, command: CommandObject, svc: BotServices, ui: BotTexts, texts: Texts,
    lang: str,
) -> None:  # fmt: skip
    """One user's card by Telegram id: language, state, addresses, counts."""
    wanted = _telegram_id((command.args or "").strip())
    if wanted is None:
        await message.answer(ui.admin_user_usage)
        return
    card = await svc.admin.user_card(wanted)
    if card is None:
        await message.answer(ui.admin_user_unknown.format(user_id=wanted))
        return
    addresses = ", ".join(
        f"{region_name(svc.catalogue, region, lang)} {escape(queue_title(texts, queue))}"
        for region, queue in card.addresses
    )
    await message.answer(
        ui.admin_user_card.format(
            user_id=card.telegram_id,
            language=escape(card.language),
            state=ui.admin_user_active if card.active else ui.admin_user_inactive,
            since=card.created_at.date().isoformat(),
            addresses=addresses or "—",
            monitors=card.monitors,
            channels=card.channels,
            pending=card.pending,
        )
    )


@router.message(Command("reply"))
async def reply(message: Message, command: CommandObject, svc: BotServices, ui: BotTexts) -> None:
    """``/reply <user id> <text>``: answer a user's feedback through the outbox."""
    assert message.from_user is not None
    target, _, text = (command.args or "").strip().partition(" ")
    wanted = _telegram_id(target)
    if wanted is None or not text.strip():
        await message.answer(ui.reply_usage)
        return
    if not await svc.admin.reply(message.from_user.id, wanted, text, svc.clock.now()):
        await message.answer(ui.reply_unknown_user.format(user_id=wanted))
        return
    await message.answer(ui.reply_sent.format(user_id=wanted))


@router.message(Command("users"))
async def user_list(
    message: Message, command: CommandObject, svc: BotServices, ui: BotTexts
) -> None:
    """``/users [region id | Telegram id prefix]``: the newest matching users, no labels."""
    query = (command.args or "").strip()
    found = await svc.admin.users(query)
    shown = escape(query[:40]) if query else ui.admin_users_all
    if not found.users:
        await message.answer(ui.admin_users_none.format(query=shown))
        return
    lines = [
        ui.admin_users_line.format(
            user_id=user.telegram_id,
            language=escape(user.language),
            state=ui.admin_user_active if user.active else ui.admin_user_inactive,
            addresses=user.addresses,
            regions=escape(", ".join(user.regions)) or "—",
        )
        for user in found.users
    ]
    title = ui.admin_users_title.format(query=shown, shown=len(found.users), total=found.total)
    await message.answer("\n".join([title, *lines]))


def _unit(ui: BotTexts, rule: SettingRule, value: float) -> str:
    """The unit after a value: seconds, or "observations" in the count's plural form."""
    if rule.unit is Unit.SECONDS:
        return ui.admin_unit_seconds
    one, few, many = ui.admin_observations_forms
    return {Plural.ONE: one, Plural.FEW: few, Plural.MANY: many}[plural_of(int(value), ui.lang)]


def _value(values: RuntimeValues, rule: SettingRule) -> str:
    value = values.as_dict()[rule.name]
    return str(int(value)) if float(value).is_integer() else str(value)


@router.message(Command("settings_show"))
async def settings_show(message: Message, svc: BotServices, ui: BotTexts) -> None:
    """The run-time settings in force, where each comes from, and their bounds."""
    runtime = svc.admin.runtime
    if runtime is None:
        return
    lines = [
        ui.admin_setting_line.format(
            name=rule.name,
            value=_value(runtime.current, rule),
            unit=_unit(ui, rule, runtime.current.as_dict()[rule.name]),
            source=ui.admin_setting_stored if rule.name in runtime.stored else ui.admin_setting_env,
            bounds=escape(rule.bounds_text()),
        )
        for rule in RULES.values()
    ]
    await message.answer(ui.admin_settings.format(lines="\n".join(lines)))


@router.message(Command("set"))
async def set_setting(
    message: Message, command: CommandObject, svc: BotServices, ui: BotTexts
) -> None:
    """``/set NAME VALUE`` (or ``default``): store a run-time setting for every instance."""
    runtime = svc.admin.runtime
    if runtime is None:
        return
    names = ", ".join(RULES)
    name, _, text = (command.args or "").strip().partition(" ")
    if not name or not text.strip():
        await message.answer(ui.admin_set_usage.format(names=names))
        return
    try:
        if text.strip().lower() == "default":
            values = await runtime.reset(name)
            reply = ui.admin_set_reset
        else:
            values = await runtime.change(name, text)
            reply = ui.admin_set_done
    except InvalidSetting as refused:
        await message.answer(_refusal(ui, refused, names))
        return
    rule = RULES[name.strip().lower()]
    await message.answer(
        reply.format(
            name=rule.name,
            value=_value(values, rule),
            unit=_unit(ui, rule, values.as_dict()[rule.name]),
        )
    )


def _refusal(ui: BotTexts, refused: InvalidSetting, names: str) -> str:
    """Why a value was not taken, in the admin's language."""
    value = escape(refused.text.strip()[:40])
    if refused.rule is None:
        return ui.admin_set_unknown.format(name=value, names=names)
    name = refused.rule.name
    if refused.reason == "not_a_number":
        return ui.admin_set_not_number.format(name=name, value=value)
    if refused.reason == "not_whole":
        return ui.admin_set_not_whole.format(name=name, value=value)
    bounds = escape(refused.rule.bounds_text())
    return ui.admin_set_out_of_bounds.format(name=name, value=value, bounds=bounds)
