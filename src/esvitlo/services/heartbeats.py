"""Heartbeats: a device at home calls its monitor's secret URL; the call is noted for the watch.

Secrets that cannot be ours (wrong length or alphabet) never reach the database, and the
others reach it only as their hash (``domain.monitors.hash_secret``): the store keeps and
looks up hashes, so neither the database nor its statement log holds a working URL. A
device calling more often than once a second is noted once per ``min_gap``: the watch only
needs the latest beat, and a chatty device must not turn into a write per request.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from esvitlo.domain.monitors import SECRET_BYTES, hash_secret
from esvitlo.ports import Clock, PowerStore

SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
FORGET_AFTER = 10_000
"""Remembered recent beats before the memory is cleared (a bound, not a cache policy)."""


def new_secret() -> str:
    """A fresh URL-safe heartbeat secret."""
    return secrets.token_urlsafe(SECRET_BYTES)


class HeartbeatReceiver:
    """Notes heartbeats in the store, at most one write per secret per ``min_gap``."""

    def __init__(
        self, store: PowerStore, clock: Clock, *, min_gap: timedelta = timedelta(seconds=1)
    ) -> None:
        self._store = store
        self._clock = clock
        self._min_gap = min_gap
        self._recent: dict[str, datetime] = {}

    async def beat(self, secret: str) -> bool:
        """Note a beat; False when no heartbeat monitor has this secret."""
        if not SECRET_PATTERN.fullmatch(secret):
            return False
        now = self._clock.now()
        hashed = hash_secret(secret)
        last = self._recent.get(hashed)
        if last is not None and now - last < self._min_gap:
            return True
        if not await self._store.record_beat(hashed, now):
            self._recent.pop(hashed, None)
            return False
        if len(self._recent) >= FORGET_AFTER:
            self._recent.clear()
        self._recent[hashed] = now
        return True
