"""End to end: a device at home calls the running service's heartbeat URL, goes quiet, and the
owner gets "power went off" in Telegram, then "power is back" when it calls again, once each
(SQLite and PostgreSQL; real web app, watch, outbox sender and aiogram client against the
fake Bot API server). A wrong secret gets a 404 that reveals nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp

from esvitlo.app import Service
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.services.heartbeats import new_secret

from bot_user import settings_for
from delivery_rig import texts_to

pytest_plugins = ("fake_bot",)

BEAT_EVERY = timedelta(seconds=2)


async def test_heartbeat_silence_and_return_reach_the_owner(fake, feed, database_url, tmp_path):
    settings = settings_for(
        fake, feed, database_url, tmp_path, ESVITLO_PROBE_INTERVAL="1", ESVITLO_POWER_ON_AFTER="1"
    )
    service = Service(settings)
    await service.start()
    try:
        owner = fake.create_user("Олена").id
        storage = service.storage
        user = await storage.users.get_or_create(owner, "uk")
        sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дача")
        secret = new_secret()
        hashed = hash_secret(secret)
        await storage.monitors.add(user.id, sub.id, MonitorKind.HEARTBEAT, "", hashed, BEAT_EVERY)
        base = f"http://127.0.0.1:{service.http_port}"
        async with aiohttp.ClientSession() as http:
            for method in ("GET", "POST", "GET"):
                async with http.request(method, f"{base}/hb/{secret}") as reply:
                    assert (reply.status, await reply.text()) == (200, "ok\n")
                await asyncio.sleep(0.6)
            async with (
                http.get(f"{base}/hb/{'x' * 32}") as wrong,
                http.get(f"{base}/no/such/path") as missing,
            ):
                assert wrong.status == missing.status == 404
                assert await wrong.text() == await missing.text()

            await fake.wait_until(lambda: texts_to(fake, owner), within=15)
            [off] = texts_to(fake, owner)
            assert off.startswith("🔴 Світло зникло о ") and off.splitlines()[0].endswith("Дача")

            async with http.post(f"{base}/hb/{secret}") as reply:
                assert reply.status == 200
            await fake.wait_until(lambda: len(texts_to(fake, owner)) >= 2, within=15)
            await asyncio.sleep(1.5)
        texts = texts_to(fake, owner)
        assert len(texts) == 2, texts
        assert texts[1].startswith("🟢 Світло зʼявилося о ")
        assert "Не було" in texts[1]
    finally:
        await service.stop()
