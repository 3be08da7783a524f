"""How updates arrive: long polling from `esvitlo run`, the webhook, and FSM state in Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

import aiohttp
import pytest

from esvitlo.testing.chat_user import content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)

REDIS_URL = os.environ.get("ESVITLO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_esvitlo_run_with_a_token_polls_and_stops_cleanly(fake, feed, tmp_path):
    settings = settings_for(fake, feed, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    env = {
        **os.environ,
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": settings.database_url,
        "ESVITLO_REGIONS_FILE": str(settings.regions_file),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "run", env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_until(lambda: bool(fake.calls("getUpdates")), within=30)
        user = BotUser(fake)
        await user.send("/start", "Оберіть ваш регіон")
        assert fake.my_commands(language_code="en")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert "app.stopped" in err.decode() and "Traceback" not in err.decode()


async def test_webhook_mode_checks_the_secret_and_keeps_the_webhook_on_shutdown(
    fake, feed, database_url, tmp_path
):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/tg/hook"
    settings = settings_for(
        fake, feed, database_url, tmp_path,
        BOT_MODE="webhook", WEBHOOK_URL=url, WEBHOOK_SECRET="s3cret", HTTP_PORT=str(port),
    )  # fmt: skip
    service = await start_service(settings)
    try:
        user = BotUser(fake)
        await user.send("/start", "Оберіть ваш регіон")
        assert not fake.calls("getUpdates")
        before = len(user.messages())
        sender = {"id": user.id, "is_bot": False, "first_name": "X"}
        chat = {"id": user.id, "type": "private"}
        message = {"message_id": 1, "date": 0, "text": "/start", "chat": chat, "from": sender}
        forged = {"update_id": 1, "message": message}
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=forged) as refused:
                assert refused.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            async with http.post(url, json=forged, headers=headers) as wrong:
                assert wrong.status == 401
        await asyncio.sleep(0.2)
        assert len(user.messages()) == before
    finally:
        await service.stop()
    info = [c for c in fake.calls() if c.method in {"setWebhook", "deleteWebhook"}]
    assert [c.method for c in info] == ["setWebhook"]
    assert info[0].params["url"] == url and info[0].params["secret_token"] == "s3cret"


async def _redis_or_skip() -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(client.flushdb(), timeout=3)
    except Exception as exc:
        reason = f"Redis at {REDIS_URL} is unreachable: {exc}"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        await client.aclose()


async def test_conversation_state_lives_in_redis_when_configured(fake, feed, tmp_path):
    await _redis_or_skip()
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    # with Redis a new instance leads (and polls) after one TTL of answered beats
    settings = settings_for(fake, feed, url, tmp_path, REDIS_URL=REDIS_URL, ESVITLO_LEADER_TTL="1")
    service = await start_service(settings)
    user = BotUser(fake)
    try:
        await user.send("/start kyiv_3-1", "Підписатися")
        await user.press("Підтвердити", "Готово")
        await user.press("Мої адреси", "Ваші адреси")
        await user.press("✏️ Дім", "Надішліть нову назву")
        assert await service.storage.conversations.get(next(iter(await _keys()))) == (None, {})
        await service.stop()
        service = await start_service(settings)
        renamed = await user.send("Квартира", "Назву змінено")
        assert "Квартира" in content(renamed)
    finally:
        await service.stop()


async def _keys() -> list[str]:
    """The FSM keys in Redis (proves the state is there, not in the database)."""
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        keys = [k.decode() for k in await client.keys("fsm:*")]
    finally:
        await client.aclose()
    assert keys, "no FSM state in Redis"
    return keys


async def test_demo_runs_with_no_token_and_no_internet():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", "demo",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    transcript = out.decode()
    assert proc.returncode == 0, err.decode()[-2000:]
    for seen in ("Оберіть ваш регіон", "[photo] 🗓 Київ · Черга 3.1", "За графіком зараз",
                 "Канал «Світло вдома» підключено", "DTEK публікує оновлення"):  # fmt: skip
        assert seen in transcript, transcript
