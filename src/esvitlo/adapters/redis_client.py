"""The Redis client the coordination adapters share, and the guard around every call."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def connect(url: str, *, timeout: float = 2.0) -> Redis:
    """A client whose calls give up after ``timeout`` seconds and retry once on a new
    connection (a Redis restart costs one failed call, not a wait)."""
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=30,
    )


def millis(seconds: float) -> int:
    """Seconds as whole milliseconds, at least 1 (what PX and PEXPIRE take)."""
    return max(1, round(seconds * 1000))


class RedisGuard:
    """Runs Redis calls with a timeout; a failure gives None and is logged once per outage
    (``{what}.redis_unavailable``, then ``{what}.redis_recovered`` when a call works again)."""

    def __init__(self, what: str, timeout: float, *, rest: float = 1.0) -> None:
        self._what = what
        self._timeout = timeout
        self._rest = rest
        self._failed_at = 0.0
        self.down = False

    @property
    def resting(self) -> bool:
        """Whether Redis failed less than ``rest`` seconds ago (callers may skip it till then)."""
        return self.down and time.monotonic() - self._failed_at < self._rest

    async def run(self, operation: str, command: Any) -> Any:
        """The command's result, or None when Redis failed or did not answer in time."""
        try:
            async with asyncio.timeout(self._timeout):
                result = await command
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed_at = time.monotonic()
            if not self.down:
                self.down = True
                logger.warning(
                    "%s.redis_unavailable op=%s error=%s", self._what, operation, type(exc).__name__
                )
            return None
        if self.down:
            self.down = False
            logger.info("%s.redis_recovered", self._what)
        return result
