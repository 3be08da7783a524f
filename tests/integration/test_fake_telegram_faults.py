"""The fake Telegram's flood limits, injected faults and recorded calls, seen through aiogram."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats

from esvitlo.testing.fake_telegram import FakeTelegram, Limits

pytest_plugins = ("fake_bot",)  # the fake and bot fixtures


@pytest.fixture
async def limited() -> AsyncIterator[FakeTelegram]:
    """A fake Telegram with the default (Telegram's) flood limits."""
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def limited_bot(limited: FakeTelegram, make_bot: Callable[..., Bot]) -> Bot:
    """An aiogram Bot talking to the limited fake."""
    return make_bot(limited)


async def test_second_message_within_a_second_to_one_private_chat_gets_429(limited, limited_bot):
    user = limited.create_user()
    await limited_bot.send_message(user.id, "one")
    with pytest.raises(TelegramRetryAfter) as caught:
        await limited_bot.send_message(user.id, "two")
    assert caught.value.retry_after == 1
    assert "Too Many Requests: retry after 1" in caught.value.message
    [refused] = [c for c in limited.calls("sendMessage") if not c.ok]
    assert (refused.status, refused.description) == (429, "Too Many Requests: retry after 1")
    other = limited.create_user()
    await limited_bot.send_message(other.id, "another chat is fine")


async def test_429_body_is_shaped_like_telegrams(limited):
    user = limited.create_user()
    url = f"{limited.base_url}/bot{limited.token}/sendMessage"
    async with aiohttp.ClientSession() as http:
        await http.post(url, json={"chat_id": user.id, "text": "a"})
        async with http.post(url, json={"chat_id": user.id, "text": "b"}) as resp:
            assert resp.status == 429
            assert await resp.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }


async def test_disabled_limits_never_answer_429(fake, bot):
    user = fake.create_user()
    for n in range(40):
        await bot.send_message(user.id, str(n))
    assert len(fake.messages_to(user.id)) == 40


async def test_thirty_messages_a_second_in_all(limited, limited_bot):
    users = [limited.create_user() for _ in range(31)]
    started = time.monotonic()
    for user in users[:30]:
        await limited_bot.send_message(user.id, "alert")
    with pytest.raises(TelegramRetryAfter) as caught:
        await limited_bot.send_message(users[30].id, "alert")
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == 1


async def test_paid_broadcast_raises_the_global_limit(limited, limited_bot):
    users = [limited.create_user() for _ in range(35)]
    for user in users:
        await limited_bot.send_message(user.id, "alert", allow_paid_broadcast=True)
    assert len(limited.calls("sendMessage")) == 35


async def test_twenty_messages_a_minute_to_a_channel(limited, limited_bot):
    channel = limited.create_chat("channel", "Світло Київ")
    for n in range(20):
        await limited_bot.send_message(channel.id, f"post {n}")
    with pytest.raises(TelegramRetryAfter) as caught:
        await limited_bot.send_message(channel.id, "one too many")
    assert 55 <= caught.value.retry_after <= 60


async def test_limits_can_be_switched_at_runtime(limited, limited_bot):
    user = limited.create_user()
    limited.set_limits(Limits(enabled=False))
    await limited_bot.send_message(user.id, "1")
    await limited_bot.send_message(user.id, "2")
    limited.set_limits(Limits(private_per_second=1))
    await limited_bot.send_message(user.id, "3")
    with pytest.raises(TelegramRetryAfter):
        await limited_bot.send_message(user.id, "4")


async def test_server_error_once_then_ok(fake, bot):
    user = fake.create_user()
    fake.fail("sendMessage", 500, "Internal Server Error")
    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await bot.send_message(user.id, "x")
    await bot.send_message(user.id, "x")
    assert [c.status for c in fake.calls("sendMessage")] == [500, 200]
    assert len(fake.messages_to(user.id)) == 1


async def test_injected_429_carries_retry_after(fake, bot):
    fake.fail(None, 429, retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.get_me()
        assert caught.value.retry_after == 7
    await bot.get_me()


async def test_dropped_connection_is_a_network_error(fake, bot):
    user = fake.create_user()
    fake.drop_connection("sendMessage")
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "x")
    assert fake.messages_to(user.id) == []
    await bot.send_message(user.id, "x")
    assert [c.status for c in fake.calls("sendMessage")] == [0, 200]


async def test_latency_delays_answers(fake, bot):
    fake.set_latency(0.2, "getMe")
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.2
    fake.set_latency(0, "getMe")
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started < 0.15


async def test_latency_beyond_the_client_timeout_is_a_network_error(fake, bot):
    fake.set_latency(0.4, "getMe")
    with pytest.raises(TelegramNetworkError, match="timeout"):
        await bot.get_me(request_timeout=0.1)


async def test_set_my_commands_is_recorded(fake, bot):
    commands = [
        BotCommand(command="start", description="Почати"),
        BotCommand(command="schedule", description="Графік"),
    ]
    assert await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats()) is True
    assert [c["command"] for c in fake.my_commands("all_private_chats")] == ["start", "schedule"]
    [call] = fake.calls("setMyCommands")
    assert call.params["scope"] == {"type": "all_private_chats"}
    got = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [(c.command, c.description) for c in got] == [
        ("start", "Почати"),
        ("schedule", "Графік"),
    ]
