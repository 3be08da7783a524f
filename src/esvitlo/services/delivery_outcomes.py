"""What became of each message the outbox sender tried: the counters, and the queue updates
each outcome calls for.

A delivered message is only counted (the sender marks delivered ids sent together). A 429
pauses the SendBudget and puts the message back without counting an attempt; server and
network errors back off exponentially and are dead-lettered after ``max_attempts``; a
blocked, deactivated, kicked or unknown chat is deactivated with its waiting messages
dropped, and remembered so that messages to it already in flight are not sent; a group that
became a supergroup has its waiting messages moved to the new id; a message its recipient no
longer wants is dropped unsent.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta

from esvitlo.domain.delivery import OutboxMessage
from esvitlo.ports import (
    Clock,
    DeliveryQueue,
    RecipientGone,
    RetryAfter,
    SendBudget,
    SendFailed,
    TemporaryFailure,
)
from esvitlo.services.delivery_config import DeliveryConfig

logger = logging.getLogger("esvitlo.services.delivery")  # the sender's events, one logger

OUTCOMES = frozenset({"sent", "retried", "rate_limited", "dead", "deactivated", "skipped"})
"""The DeliveryStats counters that are what became of one message (counted per kind too)."""


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    """What the sender did since it was made."""

    sent: int = 0
    retried: int = 0
    rate_limited: int = 0
    dead: int = 0
    deactivated: int = 0
    dropped: int = 0
    migrated: int = 0
    skipped: int = 0


class DeliveryOutcomes:
    """Counts what became of each message and records failures in the delivery queue."""

    def __init__(
        self, queue: DeliveryQueue, budget: SendBudget, clock: Clock, config: DeliveryConfig
    ) -> None:
        self._queue = queue
        self._budget = budget
        self._clock = clock
        self._config = config
        self._counts = dict.fromkeys((f.name for f in fields(DeliveryStats)), 0)
        self._per_kind: Counter[tuple[str, str]] = Counter()
        self._gone: set[int] = set()  # deactivated while messages to them were in flight

    @property
    def stats(self) -> DeliveryStats:
        """Counters so far."""
        return DeliveryStats(**self._counts)

    @property
    def per_kind(self) -> Mapping[tuple[str, str], int]:
        """Messages per (kind, outcome) so far; outcomes are the OUTCOMES counters."""
        return dict(self._per_kind)

    def is_gone(self, chat_id: int) -> bool:
        """Whether the chat was deactivated while messages to it were in flight."""
        return chat_id in self._gone

    def forget_gone(self) -> None:
        """Forget the deactivated chats; call when no message is in flight."""
        self._gone.clear()

    def sent(self, message: OutboxMessage) -> None:
        """Count a delivered message."""
        self._count(message, sent=1)

    async def migrated(self, message: OutboxMessage, old: int, new: int) -> None:
        """Move the waiting messages of a group that became a supergroup to its new id."""
        moved = await self._queue.move_chat(old, new)
        self._count(message, migrated=1)
        logger.info(
            "delivery.migrated chat=%d new_chat=%d kind=%s moved=%d", old, new, message.kind, moved
        )

    async def skip(self, message: OutboxMessage, chat_id: int, reason: str) -> None:
        """Drop a message its recipient no longer wants (a channel paused since planning)."""
        try:
            await self._queue.drop(message.id, reason)
        except Exception:
            logger.exception("delivery.settle_failed id=%d", message.id)
        self._count(message, skipped=1)
        logger.info("delivery.skipped chat=%d kind=%s reason=%s", chat_id, message.kind, reason)

    async def settle(self, message: OutboxMessage, chat_id: int, exc: SendFailed) -> None:
        """Retry, pause, deactivate or dead-letter after a failure; a storage error is logged
        and leaves the message to be claimed again when its lease runs out."""
        try:
            await self._record_failure(message, chat_id, exc)
        except Exception:
            logger.exception("delivery.settle_failed id=%d", message.id)

    async def _record_failure(self, message: OutboxMessage, chat_id: int, exc: SendFailed) -> None:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if isinstance(exc, RetryAfter):
            await self._budget.pause(exc.seconds)
            due = self._clock.now() + timedelta(seconds=exc.seconds)
            await self._queue.retry_later(message.id, due, error, count_attempt=False)
            self._count(message, rate_limited=1)
            logger.warning("delivery.rate_limited chat=%d retry_after=%s", chat_id, exc.seconds)
        elif isinstance(exc, RecipientGone):
            self._gone.add(chat_id)
            dropped = await self._queue.deactivate_recipient(chat_id, error, self._clock.now())
            self._count(message, deactivated=1, dropped=dropped)
            logger.info(
                "delivery.deactivated chat=%d kind=%s dropped=%d reason=%r",
                *(chat_id, message.kind, dropped, str(exc)),
            )
        elif isinstance(exc, TemporaryFailure) and message.attempts + 1 < self._config.max_attempts:
            await self._retry(message, chat_id, exc, error)
        else:
            await self._queue.dead_letter(message.id, error)
            self._count(message, dead=1)
            logger.warning(
                "delivery.dead chat=%d kind=%s attempts=%d error=%r",
                *(chat_id, message.kind, message.attempts + 1, str(exc)),
            )

    async def _retry(
        self, message: OutboxMessage, chat_id: int, exc: SendFailed, error: str
    ) -> None:
        attempt = message.attempts + 1
        delay = self._config.backoff(attempt)
        due = self._clock.now() + timedelta(seconds=delay)
        await self._queue.retry_later(message.id, due, error)
        self._count(message, retried=1)
        logger.info(
            "delivery.retry chat=%d kind=%s attempt=%d delay_s=%s error=%r",
            *(chat_id, message.kind, attempt, delay, str(exc)),
        )

    def _count(self, message: OutboxMessage, **increments: int) -> None:
        for name, n in increments.items():
            self._counts[name] += n
            if name in OUTCOMES:
                self._per_kind[message.kind, name] += n
