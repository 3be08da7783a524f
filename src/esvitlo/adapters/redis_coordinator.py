"""Coordination between instances over Redis: ports.Coordinator and ports.SourceCache.

Leases are keys holding the holder's id: taken with ``SET NX PX``, extended only while the
value is still ours and released only by their holder (Lua compare-and-pexpire, compare-and-
delete). Presence is a sorted set scored by expiry in Redis' own time, so instances' clocks
never matter. Events travel on Redis channels ``{namespace}:event:{channel}`` wrapped with
their sender; one listener per coordinator pattern-subscribes to them all and re-subscribes
by itself after a lost connection. Every Redis error is caught and logged once per outage:
leases and presence then raise CoordinationUnavailable (services.coordination decides who
keeps leading), events are lost.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import defaultdict
from contextlib import suppress
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from esvitlo.adapters.redis_client import RedisGuard, millis
from esvitlo.ports import (
    CachedDocument,
    CoordinationEvent,
    CoordinationUnavailable,
    EventHandler,
)

logger = logging.getLogger(__name__)

_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
return 1
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_ANNOUNCE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""
_LIVE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
"""
RETRY_DELAY = 1.0


class RedisCoordinator:
    """ports.Coordinator over one Redis; several instances share it by ``namespace``."""

    def __init__(
        self, redis: Redis, instance_id: str, *, namespace: str = "esvitlo", timeout: float = 2.0
    ) -> None:
        self._redis = redis
        self._id = instance_id
        self._ns = namespace
        self._timeout = timeout
        self._guard = RedisGuard("coordination", timeout)
        self._handlers: defaultdict[str, list[EventHandler]] = defaultdict(list)
        self._listener: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._scripts: dict[str, AsyncScript] = {}

    @property
    def instance_id(self) -> str:
        """This instance's name."""
        return self._id

    async def hold(self, name: str, ttl: float) -> bool:
        """Take or extend the lease; False when someone else holds it, CoordinationUnavailable
        when Redis fails."""
        result = await self._call("hold", _HOLD, [self._lease_key(name)], [self._id, millis(ttl)])
        if result is None:
            raise CoordinationUnavailable("Redis is unreachable")
        return bool(result == 1)

    async def release(self, name: str) -> None:
        """Delete the lease when it is still ours."""
        await self._call("release", _RELEASE, [self._lease_key(name)], [self._id])

    async def announce(self, ttl: float) -> None:
        """Score this instance live until ``ttl`` from Redis' now."""
        await self._call("announce", _ANNOUNCE, [self._presence_key], [self._id, millis(ttl)])

    async def leave(self) -> None:
        """Take this instance out of the live set."""
        await self._run("leave", self._redis.zrem(self._presence_key, self._id))

    async def live_instances(self) -> list[str]:
        """The ids announced and unexpired by Redis' clock, sorted."""
        names = await self._call("live", _LIVE, [self._presence_key], [])
        if names is None:
            raise CoordinationUnavailable("Redis is unreachable")
        return sorted(name.decode() for name in names)

    async def publish(self, channel: str, payload: str) -> None:
        """Publish on the channel, wrapped with this instance's id; dropped when Redis fails."""
        message = json.dumps({"sender": self._id, "payload": payload})
        await self._run("publish", self._redis.publish(self._channel_key(channel), message))

    async def subscribe(self, channel: str, handler: EventHandler) -> None:
        """Register ``handler``; the first subscription starts the listener and waits (up to
        the timeout) until it listens, so events published afterwards reach it."""
        self._handlers[channel].append(handler)
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="coordination-events")
        with suppress(TimeoutError):
            async with asyncio.timeout(self._timeout):
                await self._listening.wait()

    async def close(self) -> None:
        """Stop the listener and close the client's connections."""
        if self._listener is not None:
            self._listener.cancel()
            with suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
        await self._redis.aclose()

    @property
    def _presence_key(self) -> str:
        return f"{self._ns}:instances"

    def _lease_key(self, name: str) -> str:
        return f"{self._ns}:lease:{name}"

    def _channel_key(self, channel: str) -> str:
        return f"{self._ns}:event:{channel}"

    async def _call(self, operation: str, script: str, keys: list[str], args: list[Any]) -> Any:
        """Run a Lua script (by its digest once Redis knows it); None when Redis fails."""
        if script not in self._scripts:
            self._scripts[script] = self._redis.register_script(script)
        return await self._run(operation, self._scripts[script](keys=keys, args=args))

    async def _run(self, operation: str, command: Any) -> Any:
        return await self._guard.run(operation, command)

    async def _listen(self) -> None:
        """Receive events until cancelled, reconnecting every second after a failure; an
        outage is logged once (``coordination.events_lost``, then ``…events_resumed``)."""
        prefix = self._channel_key("")
        lost_at: float | None = None
        retries = 0
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(f"{prefix}*")
                self._listening.set()
                if lost_at is None:
                    logger.info("coordination.listening instance=%s", self._id)
                else:
                    logger.info(
                        "coordination.events_resumed instance=%s after_s=%.1f retries=%d",
                        self._id,
                        time.monotonic() - lost_at,
                        retries,
                    )
                    lost_at, retries = None, 0
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        await self._deliver(message, prefix)
            except (RedisError, OSError) as exc:
                self._listening.clear()
                if lost_at is None:
                    lost_at = time.monotonic()
                    logger.warning("coordination.events_lost error=%s", type(exc).__name__)
                else:
                    retries += 1
            finally:
                with suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(RETRY_DELAY)

    async def _deliver(self, message: dict[str, Any], prefix: str) -> None:
        if message.get("type") != "pmessage":
            return
        channel = message["channel"].decode()[len(prefix) :]
        try:
            data = json.loads(message["data"])
            event = CoordinationEvent(channel, str(data["payload"]), str(data["sender"]))
        except (ValueError, KeyError, TypeError):
            logger.warning("coordination.bad_event channel=%s", channel)
            return
        for handler in list(self._handlers.get(channel, ())):
            try:
                await handler(event)
            except Exception:
                logger.exception("coordination.handler_failed channel=%s", channel)


class RedisSourceCache:
    """ports.SourceCache in Redis hashes (body, etag) that expire; misses when Redis fails."""

    def __init__(self, redis: Redis, *, namespace: str = "esvitlo", timeout: float = 2.0) -> None:
        self._redis = redis
        self._ns = namespace
        self._guard = RedisGuard("source_cache", timeout)

    async def get(self, url: str) -> CachedDocument | None:
        """The document cached for ``url``, or None."""
        fields = await self._guard.run("get", self._redis.hgetall(self._key(url)))
        if not fields or b"body" not in fields:
            return None
        etag = fields.get(b"etag")
        return CachedDocument(fields[b"body"], etag.decode() if etag else None)

    async def put(self, url: str, document: CachedDocument, ttl: float) -> None:
        """Replace the cached document for ``url``, expiring in ``ttl`` seconds."""
        key = self._key(url)
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(key)
        pipe.hset(key, mapping={"body": document.body, "etag": document.etag or ""})
        pipe.pexpire(key, millis(ttl))
        await self._guard.run("put", pipe.execute())

    def _key(self, url: str) -> str:
        return f"{self._ns}:source:{hashlib.sha256(url.encode()).hexdigest()}"
