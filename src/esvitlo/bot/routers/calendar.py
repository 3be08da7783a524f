"""📅 Calendar: the user's private calendar link (made, replaced after a confirmation, turned
off) and the shared calendars of their addresses' queues, as ``webcal://`` and ``https://``
links. A private link is shown once, when made: only its hash is stored."""

from __future__ import annotations

from html import escape

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from esvitlo.bot.callbacks import Nav
from esvitlo.bot.deps import BotServices
from esvitlo.bot.keyboards import button, markup
from esvitlo.bot.registry import RouterSpec
from esvitlo.bot.views import show
from esvitlo.domain.accounts import Subscription
from esvitlo.domain.calendar_links import (
    FeedLinks,
    feed_links,
    private_feed_path,
    public_feed_path,
)
from esvitlo.domain.texts import BotTexts
from esvitlo.domain.texts.feeds import FeedTexts, feed_texts_for

router = RouterSpec("calendar")


class CalendarAct(CallbackData, prefix="cl"):
    """A calendar link action: ``make``, ``ask`` (replace?), ``new`` (replace), ``off``."""

    action: str


def _code(url: str) -> str:
    return f"<code>{escape(url)}</code>"


def _keyboard(feed: FeedTexts, ui: BotTexts, has_link: bool) -> InlineKeyboardMarkup:
    rows = (
        [[button(feed.button_new_link, CalendarAct(action="ask"))],
         [button(feed.button_revoke, CalendarAct(action="off"))]]
        if has_link
        else [[button(feed.button_create_link, CalendarAct(action="make"))]]
    )  # fmt: skip
    return markup([*rows, [button(ui.btn_menu, Nav(to="menu"))]])


def _public_lines(base: str, feed: FeedTexts, subs: list[Subscription]) -> list[str]:
    """The shared calendar of each queue the user follows (no secret in them)."""
    lines, seen = [], set()
    for sub in subs:
        if not sub.queue or (sub.region, sub.queue) in seen:
            continue
        seen.add((sub.region, sub.queue))
        links = feed_links(base, public_feed_path(sub.region, sub.queue))
        title = f"{sub.label} ({sub.queue})"
        lines.append(
            feed.calendar_public_links.format(
                queue=escape(title), https=_code(links.https), webcal=_code(links.webcal)
            )
        )
    return lines


async def _screen(
    event: Message | CallbackQuery,
    svc: BotServices,
    ui: BotTexts,
    lang: str,
    *,
    made: FeedLinks | None = None,
    note: str | None = None,
) -> None:
    """The calendar screen; ``made``: a link just made (the one time it is shown)."""
    feed = feed_texts_for(lang)
    back = markup([[button(ui.btn_menu, Nav(to="menu"))]])
    if svc.calendars is None or svc.calendar_base is None:
        await show(event, feed.calendar_not_configured, back)
        return
    assert event.from_user is not None
    telegram_id = event.from_user.id
    subs = [s for s in await svc.accounts.addresses(telegram_id) if s.queue]
    user = await svc.accounts.user(telegram_id)
    if not subs or user is None:
        await show(event, feed.calendar_no_addresses, back)
        return
    has_link = made is not None or await svc.calendars.has_link(user.id)
    if made is not None:
        head = feed.calendar_screen.format(https=_code(made.https), webcal=_code(made.webcal))
    else:
        head = feed.calendar_link_active if has_link else feed.calendar_no_link
    parts = [*([note] if note else []), head, *_public_lines(svc.calendar_base, feed, subs)]
    await show(event, "\n\n".join(parts), _keyboard(feed, ui, has_link))


@router.message(Command("calendar"))
async def calendar_command(message: Message, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """/calendar: the calendar screen."""
    await _screen(message, svc, ui, lang)


@router.callback_query(Nav.filter(F.to == "calendar"))
async def calendar_button(query: CallbackQuery, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """Menu -> Calendar."""
    await _screen(query, svc, ui, lang)


async def _new_link(query: CallbackQuery, svc: BotServices, ui: BotTexts, lang: str) -> None:
    user = await svc.accounts.user(query.from_user.id)
    if svc.calendars is None or svc.calendar_base is None or user is None:
        await _screen(query, svc, ui, lang)
        return
    secret = await svc.calendars.new_link(user.id)
    made = feed_links(svc.calendar_base, private_feed_path(secret))
    await _screen(query, svc, ui, lang, made=made)


@router.callback_query(CalendarAct.filter(F.action.in_({"make", "new"})))
async def make_link(query: CallbackQuery, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """Make the private link (replacing the old one), and show it this once."""
    await _new_link(query, svc, ui, lang)


@router.callback_query(CalendarAct.filter(F.action == "ask"))
async def ask_new_link(query: CallbackQuery, ui: BotTexts, lang: str) -> None:
    """Replacing a link breaks the calendars subscribed with it: ask first."""
    feed = feed_texts_for(lang)
    keyboard = markup(
        [
            [button(feed.button_confirm_new_link, CalendarAct(action="new"))],
            [button(ui.btn_cancel, Nav(to="calendar"))],
        ]
    )
    await show(query, feed.calendar_confirm_new, keyboard)


@router.callback_query(CalendarAct.filter(F.action == "off"))
async def revoke_link(query: CallbackQuery, svc: BotServices, ui: BotTexts, lang: str) -> None:
    """Turn the private link off at once."""
    user = await svc.accounts.user(query.from_user.id)
    if svc.calendars is not None and user is not None:
        await svc.calendars.revoke(user.id)
    await _screen(query, svc, ui, lang, note=feed_texts_for(lang).calendar_revoked)
