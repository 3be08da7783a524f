"""Telegram's flood limits as sliding windows: per bot in all, per private chat, per group."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests

LIMITED_METHODS = frozenset({"sendmessage", "sendphoto"})


@dataclass(frozen=True)
class Limits:
    """How many messages Telegram lets a bot send; ``enabled=False`` lets everything through."""

    enabled: bool = True
    global_per_second: int = 30
    paid_per_second: int = 1000
    private_per_second: int = 1
    group_per_minute: int = 20


class RateLimiter:
    """Counts sent messages in sliding windows and refuses one more with a real-shaped 429."""

    def __init__(self, limits: Limits, now: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._now = now
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def reset(self, limits: Limits | None = None) -> None:
        """Forgets every counted message and optionally switches to new limits."""
        if limits is not None:
            self.limits = limits
        self._global.clear()
        self._chats.clear()

    def _windows(
        self, chat_id: int, private: bool, paid: bool
    ) -> list[tuple[deque[float], int, float]]:
        limits = self.limits
        per_chat = self._chats.setdefault(chat_id, deque())
        total = limits.paid_per_second if paid else limits.global_per_second
        chat_rule = (limits.private_per_second, 1.0) if private else (limits.group_per_minute, 60.0)
        return [(self._global, total, 1.0), (per_chat, *chat_rule)]

    def check(self, chat_id: int, *, private: bool, paid: bool = False) -> None:
        """Raises a 429 ApiError when one more message to ``chat_id`` would exceed a limit."""
        if not self.limits.enabled:
            return
        now = self._now()
        wait = 0.0
        for stamps, capacity, window in self._windows(chat_id, private, paid):
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= capacity:
                wait = max(wait, stamps[len(stamps) - capacity] + window - now)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))

    def record(self, chat_id: int, *, private: bool, paid: bool = False) -> None:
        """Counts one sent message to ``chat_id``."""
        if not self.limits.enabled:
            return
        now = self._now()
        for stamps, _capacity, _window in self._windows(chat_id, private, paid):
            stamps.append(now)
