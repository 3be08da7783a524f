"""The fake Telegram's /_control HTTP API and its standalone process."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp
import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramServerError

from esvitlo.testing.fake_telegram import DEFAULT_TOKEN, FakeTelegram

pytest_plugins = ("fake_bot",)  # the fake and bot fixtures


async def control(http: aiohttp.ClientSession, fake: FakeTelegram, path: str, body=None):
    url = f"{fake.base_url}/_control/{path}"
    request = http.get(url) if body is None else http.post(url, json=body)
    async with request as resp:
        payload = await resp.json()
        assert resp.status == 200, payload
        return payload["result"]


async def test_control_api_drives_a_whole_scenario(fake, bot):
    async with aiohttp.ClientSession() as http:
        user = await control(http, fake, "users", {"first_name": "Ірина", "username": "iryna"})
        channel = await control(http, fake, "chats", {"kind": "channel", "title": "Світло"})
        assert channel["bot_status"] == "administrator"
        await control(http, fake, "messages", {"user_id": user["id"], "text": "/start"})
        [update] = await bot.get_updates()
        assert update.message and update.message.text == "/start"
        sent = await bot.send_message(
            user["id"],
            "pick",
            reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        )
        pressed = await control(
            http,
            fake,
            "callbacks",
            {"user_id": user["id"], "message_id": sent.message_id, "callback_data": "a"},
        )
        unanswered = await control(http, fake, "callbacks?unanswered=1")
        assert [q["id"] for q in unanswered] == [pressed["callback_query_id"]]
        messages = await control(http, fake, f"chats/{user['id']}/messages")
        assert [m["text"] for m in messages] == ["pick"]
        await control(http, fake, f"chats/{user['id']}/state", {"state": "blocked"})
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(user["id"], "x")
        await control(http, fake, "faults", {"method": "getMe", "status": 502})
        with pytest.raises(TelegramServerError, match="Bad Gateway"):
            await bot.get_me()
        calls = await control(http, fake, "calls?method=getMe")
        assert [c["status"] for c in calls] == [502]
        state = await control(http, fake, "state")
        assert {c["id"]: c["state"] for c in state["chats"]}[user["id"]] == "blocked"
        assert state["limits"]["enabled"] is False
        await control(http, fake, "reset", {})
        assert (await control(http, fake, "state"))["chats"] == []


async def test_control_api_reports_bad_input(fake):
    async with aiohttp.ClientSession() as http:
        url = f"{fake.base_url}/_control/chats/42/state"
        async with http.post(url, json={"state": "blocked"}) as resp:
            assert resp.status == 400
            assert "unknown chat 42" in (await resp.json())["error"]


async def test_control_limits_and_bot_member(fake, bot):
    async with aiohttp.ClientSession() as http:
        chat = await control(http, fake, "chats", {"kind": "supergroup", "bot_status": "left"})
        view = await control(http, fake, f"chats/{chat['id']}/bot_member", {"status": "member"})
        assert view["bot_status"] == "member"
        [update] = await bot.get_updates()
        assert update.my_chat_member and update.my_chat_member.new_chat_member.status == "member"
        limits = await control(http, fake, "limits", {"private_per_second": 2})
        assert limits["enabled"] is True and limits["private_per_second"] == 2


async def test_standalone_server_prints_its_url_and_serves():
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "esvitlo.testing.fake_telegram",
        "--port",
        "0",
        "--no-limits",
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        base_url = line.split()[2]
        assert base_url.startswith("http://127.0.0.1:") and f"token={DEFAULT_TOKEN}" in line
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{base_url}/bot{DEFAULT_TOKEN}/getMe") as resp,
        ):
            assert (await resp.json())["result"]["username"] == "esvitlo_test_bot"
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 5) == 0
