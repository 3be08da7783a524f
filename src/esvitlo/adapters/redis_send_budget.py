"""Telegram's flood limits shared by every instance through Redis (ports.SendBudget).

The rules of services.send_budget.LocalSendBudget, kept in Redis and timed by Redis' own
clock (instances' clocks never matter). One Lua script per message, atomically:

- the chat's turn: the chat key holds ``{next allowed ms}:{token}``; while it lies ahead and
  belongs to another message, the script answers "wait that long and ask again" and
  reserves nothing (a chat that must wait never holds up the bot's slots);
- the bot's next slot: ``max(now, next slot, end of pause)``; the next slot moves on by
  ``(1 + margin) / rate``, and the chat key becomes that slot plus the chat's spacing.

A message that waited for its slot checks the pause again when it wakes; a pause that began
meanwhile sends it back for a new slot (its own token lets it past its chat's spacing).
Messages to one chat on one instance queue locally first, so only one of them asks Redis.
``pause`` moves the shared end of pause later, never earlier. While Redis fails, a local
budget with a conservative rate (given by the caller) serves instead, Redis being tried
again at most once a second; the outage is logged once. At most 16 calls per budget are in
flight at a time, so a thousand waiting messages never open a thousand connections.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from esvitlo.adapters.redis_client import RedisGuard
from esvitlo.domain.delivery import is_private_chat
from esvitlo.ports import Clock, SendBudget

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
"""
_RESERVE = (
    _NOW
    + """
local chat = redis.call('GET', KEYS[3])
if chat then
  local sep = string.find(chat, ':', 1, true)
  local free_at = tonumber(string.sub(chat, 1, sep - 1))
  if free_at > now and string.sub(chat, sep + 1) ~= ARGV[3] then
    return {0, tostring(free_at - now)}
  end
end
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0),
                      tonumber(redis.call('GET', KEYS[2]) or 0))
local next_slot = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(next_slot), 'PX', math.ceil(next_slot - now) + 1000)
local chat_free = slot + tonumber(ARGV[2])
redis.call('SET', KEYS[3], tostring(chat_free) .. ':' .. ARGV[3],
           'PX', math.ceil(chat_free - now) + 1)
return {1, tostring(slot - now)}
"""
)
_PAUSE = (
    _NOW
    + """
local pause_end = now + tonumber(ARGV[1])
if pause_end > tonumber(redis.call('GET', KEYS[1]) or 0) then
  redis.call('SET', KEYS[1], tostring(pause_end), 'PX', math.ceil(pause_end - now))
end
return 1
"""
)
_PAUSE_LEFT = (
    _NOW
    + """
return tostring(math.max(0, tonumber(redis.call('GET', KEYS[1]) or 0) - now))
"""
)

MAX_CONCURRENT_CALLS = 16  # however many messages wait, a few connections serve them


class RedisSendBudget:
    """ports.SendBudget shared by every instance on one Redis (``namespace`` per bot)."""

    def __init__(
        self,
        redis: Redis,
        clock: Clock,
        fallback: SendBudget,
        *,
        rate: float = 30.0,
        margin: float = 0.02,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        namespace: str = "esvitlo",
        timeout: float = 2.0,
    ) -> None:
        if rate <= 0 or private_interval < 0 or group_interval < 0 or margin < 0:
            raise ValueError("rate must be positive; intervals and margin not negative")
        self._redis = redis
        self._clock = clock
        self._fallback = fallback
        self._interval_ms = 1000 * (1 + margin) / rate
        self._private_ms = 1000 * private_interval * (1 + margin)
        self._group_ms = 1000 * group_interval * (1 + margin)
        self._slot_key = f"{namespace}:budget:slot"
        self._pause_key = f"{namespace}:budget:pause"
        self._chat_prefix = f"{namespace}:budget:chat:"
        self._guard = RedisGuard("send_budget", timeout)
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._calls = asyncio.Semaphore(MAX_CONCURRENT_CALLS)
        self._reserve = redis.register_script(_RESERVE)
        self._pause_script = redis.register_script(_PAUSE)
        self._pause_left = redis.register_script(_PAUSE_LEFT)

    async def acquire(self, chat_id: int) -> None:
        """Wait for the chat's turn and spacing and the bot's next slot outside a pause, all
        shared between instances; the local fallback decides while Redis fails."""
        lock = self._enter(chat_id)
        try:
            async with lock:
                if self._guard.resting or not await self._acquire_shared(chat_id):
                    await self._fallback.acquire(chat_id)
        finally:
            self._leave(chat_id)

    async def pause(self, seconds: float) -> None:
        """Hold every instance's messages for ``seconds`` from now (a longer pause stays)."""
        await self._fallback.pause(seconds)
        if seconds > 0:
            await self._eval("pause", self._pause_script, [self._pause_key], [repr(1000 * seconds)])

    async def _acquire_shared(self, chat_id: int) -> bool:
        """Reserve through Redis and wait; False when Redis failed before a slot was had."""
        spacing = self._private_ms if is_private_chat(chat_id) else self._group_ms
        keys = [self._slot_key, self._pause_key, f"{self._chat_prefix}{chat_id}"]
        args = [repr(self._interval_ms), repr(spacing), uuid.uuid4().hex]
        while True:
            answer = await self._eval("reserve", self._reserve, keys, args)
            if answer is None:
                return False
            got_slot, wait_ms = int(answer[0]), float(answer[1])
            if wait_ms > 0:
                await self._clock.sleep(wait_ms / 1000)
            if got_slot and (wait_ms <= 0 or not await self._paused()):
                return True

    async def _paused(self) -> bool:
        """Whether a shared pause holds now (False when Redis cannot tell)."""
        left = await self._eval("pause_left", self._pause_left, [self._pause_key], [])
        return left is not None and float(left) > 0

    async def _eval(
        self, operation: str, script: AsyncScript, keys: list[str], args: list[str]
    ) -> Any:
        async with self._calls:  # outside the timeout: waiting here is not Redis failing
            return await self._guard.run(operation, script(keys=keys, args=args))

    def _enter(self, chat_id: int) -> asyncio.Lock:
        lock, users = self._chat_locks.get(chat_id) or (asyncio.Lock(), 0)
        self._chat_locks[chat_id] = (lock, users + 1)
        return lock

    def _leave(self, chat_id: int) -> None:
        lock, users = self._chat_locks[chat_id]
        if users > 1:
            self._chat_locks[chat_id] = (lock, users - 1)
        else:
            del self._chat_locks[chat_id]
