"""One instance with REDIS_URL while its redis-server is stopped: it keeps leading (polling
Telegram, watching schedules), answers, keeps a conversation's state (in the database
meanwhile), logs the outage once instead of every second, and takes the lease back in Redis
when it returns."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from redis_service import private_redis

from bot_user import BotUser, settings_for, start_service
from instance_cluster import PrivateRedis

pytest_plugins = ("fake_bot",)

OUTAGE = 3.0  # seconds without Redis before the conversation goes on


@pytest.fixture
async def redis(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    async with private_redis(tmp_path) as server:
        yield server


async def until(condition, within: float, what: str) -> None:
    end = time.monotonic() + within
    while not condition():
        assert time.monotonic() < end, f"not within {within} s: {what}"
        await asyncio.sleep(0.05)


def events(records: list[logging.LogRecord]) -> Counter[str]:
    """Warnings and errors per event name (a message's first word)."""
    return Counter(
        record.getMessage().split(" ", 1)[0]
        for record in records
        if record.levelno >= logging.WARNING
    )


async def test_a_lone_instance_keeps_serving_while_redis_is_down(
    fake, feed, tmp_path, redis: PrivateRedis, caplog: pytest.LogCaptureFixture
):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    settings = settings_for(fake, feed, url, tmp_path, REDIS_URL=redis.url, ESVITLO_LEADER_TTL="1")
    service = await start_service(settings)
    user = BotUser(fake)
    try:
        await until(lambda: service.election.is_leader, 5, "leading")
        await user.send("/start kyiv_3-1", "Підписатися")
        await user.press("Підтвердити", "Готово")
        caplog.clear()
        await redis.stop()
        await asyncio.sleep(OUTAGE)
        assert service.election.on_local_lease and service.watch.running
        await user.press("Мої адреси", "Ваші адреси")
        await user.press("✏️ Дім", "Надішліть нову назву")
        renamed = await user.send("Квартира", "Назву змінено")
        assert "Квартира" in renamed.text
        during = list(caplog.records)
        await redis.start()
        await until(lambda: not service.election.on_local_lease, 5, "the lease taken back")
        assert service.election.is_leader
    finally:
        await service.stop()
    repeated = {event: n for event, n in events(during).items() if n > 1}
    assert not repeated, f"logged again and again while Redis was down: {repeated}"
