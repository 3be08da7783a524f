"""aiogram FSM storage in Redis that falls back to the database while Redis is unreachable.

Conversation state lives in Redis (shared by every instance). When a Redis call fails, that
call and every call for the next second go to the fallback (the database's conversation
store, which every instance shares too), so the bot keeps answering through an outage
instead of failing every update. The outage is logged once (``fsm.redis_unavailable``, then
``fsm.redis_recovered``). A conversation started during the outage is not copied back: once
Redis answers again its state is Redis' (usually none), and the user starts that step over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")
REST = 1.0  # seconds after a failure during which Redis is not asked


class FallbackFsmStorage(BaseStorage):
    """Asks ``primary`` (Redis) first and ``fallback`` (the database) when it fails."""

    def __init__(self, primary: BaseStorage, fallback: BaseStorage, *, rest: float = REST) -> None:
        self._primary = primary
        self._fallback = fallback
        self._rest = rest
        self._failed_at: float | None = None

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Store the state name (None clears it)."""
        await self._either(
            "set_state",
            lambda: self._primary.set_state(key, state),
            lambda: self._fallback.set_state(key, state),
        )

    async def get_state(self, key: StorageKey) -> str | None:
        """The stored state name."""
        return await self._either(
            "get_state",
            lambda: self._primary.get_state(key),
            lambda: self._fallback.get_state(key),
        )

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Replace the stored data."""
        await self._either(
            "set_data",
            lambda: self._primary.set_data(key, data),
            lambda: self._fallback.set_data(key, data),
        )

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """The stored data (empty when none)."""
        return await self._either(
            "get_data",
            lambda: self._primary.get_data(key),
            lambda: self._fallback.get_data(key),
        )

    async def close(self) -> None:
        """Close both storages."""
        await self._primary.close()
        await self._fallback.close()

    @property
    def down(self) -> bool:
        """Whether the last call to Redis failed."""
        return self._failed_at is not None

    async def _either(
        self,
        operation: str,
        primary: Callable[[], Awaitable[T]],
        fallback: Callable[[], Awaitable[T]],
    ) -> T:
        if self._failed_at is not None and time.monotonic() - self._failed_at < self._rest:
            return await fallback()
        try:
            result = await primary()
        except (TimeoutError, RedisError, OSError) as exc:
            if self._failed_at is None:
                logger.warning(
                    "fsm.redis_unavailable op=%s error=%s", operation, type(exc).__name__
                )
            self._failed_at = time.monotonic()
            return await fallback()
        if self._failed_at is not None:
            self._failed_at = None
            logger.info("fsm.redis_recovered")
        return result
