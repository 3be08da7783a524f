"""Telegram's flood limits in one process: a global rate, spacing per chat, and 429 pauses.

Messages to one chat pass one at a time, each at least the chat's spacing after the one
before. Every message then takes the bot's next free slot; slots are ``1 / rate`` apart,
widened by ``margin`` so that network jitter never lets more than ``rate`` messages reach
Telegram in any one second: slots stretched by a margin m absorb m seconds of jitter (a
message delayed by up to m s relative to the others) before a 1-second window can hold one
message too many. A message that finds its chat free, its slot due and no pause passes
without waiting (and without a lock). A pause (after a 429) holds every slot until it ends.

Slots are planned ahead, but a busy machine wakes a waiting message late: one late by more
than the margin and the message ``rate`` slots after it, on time, reach Telegram ``rate + 1``
within a second, a 429 that pauses everyone for a second (two busy cores: 31 messages passed
within one second, up to 8 429s in a 20 s run at 30/s). So the budget also remembers when the
last ``rate`` messages really passed and holds the next one until the oldest of them is as
old as ``rate`` slots are long (a second plus the margin): late wake-ups cost their own
delay, never a burst, and the whole margin stays for the jitter between here and Telegram.
Time comes from the Clock port, so tests drive it without sleeping.
"""

from __future__ import annotations

import asyncio
from collections import deque

from esvitlo.domain.delivery import is_private_chat
from esvitlo.ports import Clock

DEFAULT_RATE = 30.0
PAID_RATE = 1000.0
PRIVATE_INTERVAL = 1.0
GROUP_INTERVAL = 3.0  # 20 messages a minute
DEFAULT_MARGIN = 0.02
PAID_MARGIN = 0.05
SHARED_MARGIN = 0.10
WINDOW = 1.0
"""Telegram counts messages per second."""
_PRUNE_AT = 10_000
_MAX_WINDOW_COUNT = 10_000  # above this rate (the bench's unlimited run) nothing is counted


def default_margin(rate: float) -> float:
    """The margin for a rate: 20 ms of jitter at Telegram's standard rate, for a 2 % loss; 50 ms
    above it, where bunched messages are likelier and one 429 costs a whole second of paid
    broadcast (1000 messages), more than the 5 % the wider margin gives up."""
    return DEFAULT_MARGIN if rate <= DEFAULT_RATE else PAID_MARGIN


def shared_margin(rate: float) -> float:
    """The margin when several instances share the budget through Redis: each adds its own
    wake-up jitter and a Redis round trip. Measured with three instances on two busy cores
    (tests/integration/test_multi_instance.py): 2 % let 5 of 900 sends bunch into 429s."""
    return max(default_margin(rate), SHARED_MARGIN)


class LocalSendBudget:
    """ports.SendBudget for a single instance (a Redis one shares it between instances)."""

    def __init__(
        self,
        clock: Clock,
        *,
        rate: float = DEFAULT_RATE,
        private_interval: float = PRIVATE_INTERVAL,
        group_interval: float = GROUP_INTERVAL,
        margin: float | None = None,
    ) -> None:
        margin = default_margin(rate) if margin is None else margin
        if rate <= 0 or private_interval < 0 or group_interval < 0 or margin < 0:
            raise ValueError("rate must be positive; intervals and margin not negative")
        self._clock = clock
        self._interval = (1 + margin) / rate
        self._private = private_interval * (1 + margin)
        self._group = group_interval * (1 + margin)
        self._next_global = 0.0
        self._paused_until = 0.0
        self._next_chat: dict[int, float] = {}
        self._prune_at = _PRUNE_AT
        self._chat_locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._window_count = int(rate) if 1 <= rate <= _MAX_WINDOW_COUNT else 0
        self._passed: deque[float] = deque(maxlen=max(1, self._window_count))
        self._window = max(WINDOW, self._window_count * self._interval)  # `rate` slots' span

    @property
    def rate(self) -> float:
        """Messages per second this budget lets through at most."""
        return 1 / self._interval

    def paused_for(self) -> float:
        """Seconds left of the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self._now())

    async def acquire(self, chat_id: int) -> None:
        """Wait for this chat's turn and spacing, then for the bot's next slot outside a pause."""
        if self._take_now(chat_id):
            return
        lock = self._enter(chat_id)
        try:
            async with lock:
                await self._sleep_until(self._next_chat.get(chat_id, 0.0))
                while True:
                    await self._sleep_until(self._reserve_global())
                    while self._now() < (opens := self._window_opens()):
                        await self._sleep_until(opens)  # the ones before were late
                    if self._now() >= self._paused_until:
                        break
                now = self._now()
                self._passed.append(now)
                self._space(chat_id, now)
        finally:
            self._leave(chat_id)

    def _window_opens(self) -> float:
        """When one more message keeps at most ``rate`` of them in any window (0: now)."""
        if not self._window_count or len(self._passed) < self._window_count:
            return 0.0
        return self._passed[0] + self._window

    def _take_now(self, chat_id: int) -> bool:
        """Take the bot's slot at once when nothing stands in the way (no other message to
        the chat waiting, its spacing over, no pause, the slot due): what the waiting path
        does when it has nothing to wait for, without its lock."""
        if chat_id in self._chat_locks:
            return False
        now = self._now()
        waits = (self._next_chat.get(chat_id, 0.0), self._paused_until, self._next_global)
        if max(waits) > now or self._window_opens() > now:
            return False
        self._next_global = now + self._interval
        self._passed.append(now)
        self._space(chat_id, now)
        return True

    def _space(self, chat_id: int, now: float) -> None:
        """Hold the chat's next message for its spacing; forget chats whose spacing is over
        once there are many (the threshold follows the size, so pruning stays rare)."""
        spacing = self._private if is_private_chat(chat_id) else self._group
        self._next_chat[chat_id] = now + spacing
        if len(self._next_chat) >= self._prune_at:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
            self._prune_at = max(_PRUNE_AT, 2 * len(self._next_chat))

    async def pause(self, seconds: float) -> None:
        """Hold every message for ``seconds`` from now; a longer running pause is kept."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _now(self) -> float:
        return self._clock.now().timestamp()

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

    def _reserve_global(self) -> float:
        slot = max(self._now(), self._next_global, self._paused_until)
        self._next_global = slot + self._interval
        return slot

    async def _sleep_until(self, moment: float) -> None:
        wait = moment - self._now()
        if wait > 0:
            await self._clock.sleep(wait)
