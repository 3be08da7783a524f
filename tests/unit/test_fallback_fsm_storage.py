"""FallbackFsmStorage: conversation state in the primary storage, in the fallback while the
primary fails (and for a second after each failure), logged once per outage."""

from __future__ import annotations

import logging
from typing import Any

from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from redis.exceptions import ConnectionError as RedisConnectionError

from esvitlo.adapters.fallback_fsm_storage import FallbackFsmStorage

KEY = StorageKey(bot_id=1, chat_id=2, user_id=2)


class Breakable(MemoryStorage):
    """A MemoryStorage that fails like an unreachable Redis while ``broken``; counts calls."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = False
        self.calls = 0

    def _check(self) -> None:
        self.calls += 1
        if self.broken:
            raise RedisConnectionError("Connection refused")

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        self._check()
        await super().set_state(key, state)

    async def get_state(self, key: StorageKey) -> str | None:
        self._check()
        return await super().get_state(key)

    async def set_data(self, key: StorageKey, data: Any) -> None:
        self._check()
        await super().set_data(key, data)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        self._check()
        return await super().get_data(key)


def storages(rest: float = 1.0) -> tuple[Breakable, BaseStorage, FallbackFsmStorage]:
    primary, fallback = Breakable(), MemoryStorage()
    return primary, fallback, FallbackFsmStorage(primary, fallback, rest=rest)


async def test_state_lives_in_the_primary_while_it_answers():
    primary, fallback, storage = storages()
    await storage.set_state(KEY, "rename")
    await storage.update_data(KEY, {"address": 7})
    assert await storage.get_state(KEY) == "rename"
    assert await storage.get_value(KEY, "address") == 7
    assert await primary.get_state(KEY) == "rename"
    assert await fallback.get_state(KEY) is None


async def test_a_failing_primary_hands_over_to_the_fallback_and_is_logged_once(caplog):
    primary, fallback, storage = storages(rest=0.0)  # ask the primary every time
    primary.broken = True
    with caplog.at_level(logging.INFO):
        await storage.set_state(KEY, "rename")
        await storage.set_data(KEY, {"address": 7})
        assert await storage.get_state(KEY) == "rename"
        assert await storage.get_data(KEY) == {"address": 7}
        primary.broken = False
        assert await storage.get_state(KEY) is None  # back in the primary, which never saw it
    assert await fallback.get_state(KEY) == "rename"
    messages = [record.getMessage() for record in caplog.records]
    assert sum("fsm.redis_unavailable" in m for m in messages) == 1, messages
    assert sum("fsm.redis_recovered" in m for m in messages) == 1, messages


async def test_after_a_failure_the_primary_rests_before_it_is_asked_again():
    primary, _, storage = storages(rest=3600.0)
    primary.broken = True
    await storage.get_state(KEY)
    calls = primary.calls
    for _ in range(5):
        await storage.get_state(KEY)
    assert primary.calls == calls, "asked a Redis that just failed"
