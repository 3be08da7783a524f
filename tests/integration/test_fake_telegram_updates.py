"""Updates from the fake Telegram: long polling, webhooks, member changes and button presses."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError, TelegramNetworkError
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from aiohttp.test_utils import TestServer

pytest_plugins = ("fake_bot",)  # the fake and bot fixtures


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=d, callback_data=d) for d in data]]
    )


async def test_long_poll_returns_as_soon_as_a_message_arrives(fake, bot):
    user = fake.create_user()
    started = time.monotonic()
    polling = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    fake.send_user_message(user.id, "/start kyiv_3-1")
    [update] = await polling
    assert time.monotonic() - started < 0.5
    assert update.message and update.message.text == "/start kyiv_3-1"
    assert update.message.from_user and update.message.from_user.id == user.id
    assert [(e.type, e.offset, e.length) for e in update.message.entities or []] == [
        ("bot_command", 0, 6)
    ]
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == []
    assert fake.pending_updates() == []


async def test_updates_stay_until_confirmed_by_offset(fake, bot):
    user = fake.create_user()
    for text in ("a", "b", "c"):
        fake.send_user_message(user.id, text)
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["a", "b", "c"]
    again = await bot.get_updates(offset=first[1].update_id, limit=1)
    assert [u.message.text for u in again if u.message] == ["b"]
    assert [u["message"]["text"] for u in fake.pending_updates()] == ["b", "c"]
    latest = await bot.get_updates(offset=-1)
    assert [u.message.text for u in latest if u.message] == ["c"]


async def test_a_newer_poller_ends_the_older_one_with_409(fake, bot):
    user = fake.create_user()
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    newer = asyncio.create_task(bot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError) as caught:
        await older
    assert caught.value.message.endswith(
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )
    fake.send_user_message(user.id, "hi")
    assert [u.message.text for u in await newer if u.message] == ["hi"]


async def test_allowed_updates_filter_what_is_delivered(fake, bot):
    user = fake.create_user()
    sent = await bot.send_message(user.id, "pick", reply_markup=keyboard("x"))
    await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    fake.send_user_message(user.id, "ignored")
    fake.press_button(user.id, sent.message_id, "x")
    [update] = await bot.get_updates(timeout=0)
    assert update.callback_query and update.callback_query.data == "x"


async def test_button_press_and_answer(fake, bot):
    user = fake.create_user()
    sent = await bot.send_message(user.id, "Черга?", reply_markup=keyboard("q:3.1", "q:3.2"))
    query_id = fake.press_button(user.id, sent.message_id, "q:3.2")
    assert [q.id for q in fake.unanswered_callbacks()] == [query_id]
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query and query.id == query_id and query.data == "q:3.2"
    assert query.message and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="Обрано 3.2") is True
    assert fake.unanswered_callbacks() == []
    assert fake.world.callbacks[query_id].answer == {
        "text": "Обрано 3.2",
        "show_alert": False,
        "url": None,
        "cache_time": 0,
    }
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)


async def test_pressing_a_button_that_is_not_there_is_a_test_error(fake, bot):
    user = fake.create_user()
    sent = await bot.send_message(user.id, "no buttons")
    with pytest.raises(ValueError, match="no button"):
        fake.press_button(user.id, sent.message_id, "x")


async def test_bot_made_channel_admin_gets_my_chat_member(fake, bot):
    owner = fake.create_user("Owner")
    channel = fake.create_chat("channel", "Світло Оболонь", owner_id=owner.id, bot_status="left")
    fake.set_bot_member(channel.id, "administrator", can_post_messages=True)
    [update] = await bot.get_updates()
    change = update.my_chat_member
    assert change and change.chat.id == channel.id and change.chat.type == "channel"
    assert change.from_user.id == owner.id
    assert change.old_chat_member.status == "left"
    assert change.new_chat_member.status == "administrator"
    assert change.new_chat_member.can_post_messages is True
    member = await bot.get_chat_member(channel.id, fake.bot_user.id)
    assert member.status == "administrator" and member.can_post_messages is True
    admins = await bot.get_chat_administrators(channel.id)
    assert [(a.status, a.user.id) for a in admins] == [
        ("creator", owner.id),
        ("administrator", fake.bot_user.id),
    ]
    chat = await bot.get_chat(channel.id)
    assert (chat.type, chat.title) == ("channel", "Світло Оболонь")


async def test_blocking_the_bot_sends_my_chat_member_kicked(fake, bot):
    user = fake.create_user()
    fake.set_chat_state(user.id, "blocked")
    fake.set_chat_state(user.id, "ok")
    updates = await bot.get_updates()
    assert [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
        if u.my_chat_member
    ] == [("member", "kicked"), ("kicked", "member")]


async def test_migration_announces_itself_in_both_chats(fake, bot):
    group = fake.create_chat("group", "Будинок")
    supergroup = fake.set_chat_state(group.id, "migrated")
    updates = await bot.get_updates()
    left, arrived = (u.message for u in updates)
    assert left and left.chat.id == group.id and left.migrate_to_chat_id == supergroup.id
    assert arrived and arrived.chat.id == supergroup.id and arrived.migrate_from_chat_id == group.id


async def test_webhook_blocks_polling_until_deleted(fake, bot):
    assert await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret") is True
    with pytest.raises(TelegramConflictError, match="can't use getUpdates method while webhook"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook"
    assert await bot.delete_webhook() is True
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == []


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[TestServer, list[web.Request], list[dict]]]:
    """A webhook receiver that fails its first request with 500 and accepts the rest."""
    requests: list[web.Request] = []
    bodies: list[dict] = []

    async def hook(request: web.Request) -> web.Response:
        requests.append(request)
        bodies.append(await request.json())
        return web.Response(status=500 if len(requests) == 1 else 200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    yield server, requests, bodies
    await server.close()


async def test_webhook_delivery_with_secret_and_retry(fake, bot, receiver):
    server, requests, bodies = receiver
    user = fake.create_user()
    await bot.set_webhook(str(server.make_url("/hook")), secret_token="s3cret")
    fake.send_user_message(user.id, "via webhook")
    await fake.wait_until(lambda: len(requests) == 2 and not fake.pending_updates())
    assert [r.headers["X-Telegram-Bot-Api-Secret-Token"] for r in requests] == ["s3cret"] * 2
    assert bodies[0] == bodies[1] and bodies[0]["message"]["text"] == "via webhook"
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"


async def echo_router() -> Router:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")

    @router.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("ok")

    return router


async def test_dispatcher_polling_end_to_end(fake, bot):
    user = fake.create_user()
    dispatcher = Dispatcher()
    dispatcher.include_router(await echo_router())
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    fake.send_user_message(user.id, "привіт")
    reply = await fake.wait_for_message(user.id)
    assert reply.text == "echo: привіт"
    sent = await bot.send_message(user.id, "press", reply_markup=keyboard("go"))
    fake.press_button(user.id, sent.message_id, "go")
    await fake.wait_until(lambda: fake.world.callbacks and not fake.unanswered_callbacks())
    await dispatcher.stop_polling()
    await polling
    assert {"getMe", "getUpdates", "sendMessage", "answerCallbackQuery"} <= {
        c.method for c in fake.calls()
    }


async def test_dispatcher_webhook_reply_is_executed(fake, bot):
    user = fake.create_user()
    dispatcher = Dispatcher()
    router = Router()

    @router.message()
    async def reply(message: Message) -> object:
        return message.answer("answered in the webhook response")

    dispatcher.include_router(router)
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False).register(app, path="/wh")
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        await bot.set_webhook(str(server.make_url("/wh")))
        fake.send_user_message(user.id, "hello")
        message = await fake.wait_for_message(user.id)
        assert message.text == "answered in the webhook response"
        assert [c.method for c in fake.calls("sendMessage")] == ["sendMessage"]
    finally:
        await bot.delete_webhook()
        await server.close()


async def test_writing_to_a_blocked_bot_unblocks_it(fake, bot):
    user = fake.create_user()
    fake.set_chat_state(user.id, "blocked")
    fake.send_user_message(user.id, "/start")
    kinds = [
        next(k for k in ("my_chat_member", "message") if k in u) for u in fake.pending_updates()
    ]
    assert kinds == ["my_chat_member", "my_chat_member", "message"]
    await bot.send_message(user.id, "welcome back")


async def test_a_restarted_fake_keeps_its_state_and_port(fake, bot):
    user = fake.create_user()
    await bot.send_message(user.id, "before")
    port = fake.port
    await fake.stop()
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "while down")
    await fake.start()
    assert fake.port == port
    await bot.send_message(user.id, "after")
    assert [m.text for m in fake.messages_to(user.id)] == ["before", "after"]
