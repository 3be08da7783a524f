"""The outbox sender: claims due messages in small batches and sends them within Telegram's limits.

Every instance runs one. It claims a batch when fewer than ``max_in_flight - batch_size``
messages are in flight, sends each through the SendBudget (global rate, per-chat spacing,
429 pauses), and records the outcome: delivered messages are marked sent together on the next
tick; a 429 pauses the budget and puts the message back without counting an attempt; server
and network errors back off exponentially and are dead-lettered after ``max_attempts``; a
blocked, deactivated, kicked or unknown chat is deactivated with its waiting messages
dropped; a group that became a supergroup is followed to its new id and sent there. A user
in their quiet hours (Kyiv time at sending) gets the message without sound. Channel posts
(kind ``channel_post``) go through the ChannelPublisher; one for a channel that was paused
since planning is dropped unsent.

Delivery is at least once: a sender that dies leaves its claimed messages ``sending``, and
they are claimed again when the lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.channel_posts import CHANNEL_POST
from esvitlo.domain.delivery import OutboxMessage
from esvitlo.ports import (
    ChatMigrated,
    Clock,
    DeliveryQueue,
    MessageRejected,
    MessageSender,
    RecipientGone,
    RetryAfter,
    SendBudget,
    SendFailed,
    TemporaryFailure,
)
from esvitlo.services.channel_posts import ChannelPublisher, PostSkipped

logger = logging.getLogger(__name__)

MIGRATION_HOPS = 2


class _AlreadyDropped(Exception):
    """The chat was deactivated while this message waited; its row is already dropped."""


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """How the sender claims, retries and stops; times are seconds."""

    batch_size: int = 50
    max_in_flight: int = 100
    lease: float = 300.0
    tick: float = 0.05
    idle_poll: float = 0.5
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 600.0
    stop_timeout: float = 10.0
    paid_broadcast: bool = False
    zone: str = "Europe/Kyiv"

    def __post_init__(self) -> None:
        if not 0 < self.batch_size <= self.max_in_flight or self.max_attempts < 1:
            raise ValueError("need 0 < batch_size <= max_in_flight and max_attempts >= 1")

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failure in a row (1, 2, ...)."""
        return float(min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1)))


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


class OutboxSender:
    """Sends the outbox's due messages; ``start`` and ``stop`` it, or drive it with ``run_once``."""

    def __init__(
        self,
        queue: DeliveryQueue,
        sender: MessageSender,
        budget: SendBudget,
        clock: Clock,
        config: DeliveryConfig | None = None,
        publisher: ChannelPublisher | None = None,
    ) -> None:
        self._queue = queue
        self._sender = sender
        self._publisher = publisher
        self._budget = budget
        self._clock = clock
        self._config = config or DeliveryConfig()
        self._zone = ZoneInfo(self._config.zone)
        self._stats = DeliveryStats()
        self._tasks: set[asyncio.Task[None]] = set()
        self._sent: list[int] = []
        self._unsent: list[int] = []
        self._gone: set[int] = set()  # deactivated while messages to them were in flight
        self._runner: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()

    @property
    def stats(self) -> DeliveryStats:
        """Counters so far."""
        return self._stats

    @property
    def running(self) -> bool:
        """Whether the claiming loop runs."""
        return self._runner is not None

    @property
    def in_flight(self) -> int:
        """Messages claimed and not yet settled."""
        return len(self._tasks)

    async def start(self) -> None:
        """Start claiming and sending; no-op when running."""
        if self._runner is not None:
            return
        self._stopping.clear()
        self._runner = asyncio.create_task(self._run(), name="delivery-sender")
        logger.info(
            "delivery.started batch=%d in_flight=%d paid=%s",
            self._config.batch_size,
            self._config.max_in_flight,
            self._config.paid_broadcast,
        )

    async def stop(self) -> None:
        """Stop claiming, let messages in flight finish within ``stop_timeout``, hand back the
        rest unsent; idempotent."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._stopping.set()
        await asyncio.gather(runner, return_exceptions=True)
        await self._settle_in_flight(self._config.stop_timeout)
        logger.info("delivery.stopped sent=%d dead=%d", self._stats.sent, self._stats.dead)

    def wake(self) -> None:
        """Claim now rather than at the next poll (new messages were queued)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Claim one batch, send it all and record the outcomes; the number claimed."""
        batch = await self._claim(self._config.batch_size)
        await asyncio.gather(*(self._deliver(message) for message in batch))
        await self._flush()
        return len(batch)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            claimed = 0
            try:
                if not self._tasks:
                    self._gone.clear()
                room = self._config.max_in_flight - len(self._tasks)
                if room >= self._config.batch_size:
                    claimed = self._spawn(await self._claim(self._config.batch_size))
                await self._flush()
            except Exception:
                logger.exception("delivery.loop_failed")
            full = claimed == self._config.batch_size
            if full and len(self._tasks) + claimed <= self._config.max_in_flight:
                continue  # a full batch may leave more due at once, and there is room
            await self._pause(self._config.tick if self._tasks else self._config.idle_poll)

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        lease = timedelta(seconds=self._config.lease)
        return await self._queue.claim(limit, self._clock.now(), lease)

    def _spawn(self, batch: list[OutboxMessage]) -> int:
        for message in batch:
            task = asyncio.create_task(self._deliver(message), name=f"delivery:{message.id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(batch)

    async def _pause(self, seconds: float) -> None:
        """Wait ``seconds``, less when woken or stopping."""
        wake = asyncio.ensure_future(self._wake.wait())
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({wake, stop}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            wake.cancel()
            stop.cancel()
        self._wake.clear()

    async def _settle_in_flight(self, within: float) -> None:
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=within)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        await self._flush()
        unsent, self._unsent = self._unsent, []
        if unsent:
            await self._queue.release(unsent)
            logger.info("delivery.released count=%d", len(unsent))

    async def _flush(self) -> None:
        """Record the delivered messages; on failure keep them for the next flush."""
        if not self._sent:
            return
        sent, self._sent = self._sent, []
        try:
            await self._queue.mark_sent(sent, self._clock.now())
        except Exception:
            self._sent = sent + self._sent
            logger.exception("delivery.flush_failed count=%d", len(sent))

    async def _deliver(self, message: OutboxMessage) -> None:
        """Send one message, following a migrated group, and record what became of it."""
        chat_id = message.chat_id
        try:
            for _ in range(MIGRATION_HOPS):
                try:
                    await self._send(message, chat_id)
                    break
                except ChatMigrated as exc:
                    await self._follow(message, chat_id, exc.new_chat_id)
                    chat_id = exc.new_chat_id
            else:
                raise TemporaryFailure("chat keeps migrating")
        except asyncio.CancelledError:
            self._unsent.append(message.id)
            raise
        except _AlreadyDropped:
            logger.debug("delivery.skipped chat=%d id=%d", chat_id, message.id)
        except PostSkipped as exc:
            await self._skip(message, chat_id, str(exc))
        except SendFailed as exc:
            await self._settle(message, chat_id, exc)
        except Exception as exc:  # an unexpected library error: worth another try
            logger.exception("delivery.unexpected id=%d", message.id)
            await self._settle(message, chat_id, TemporaryFailure(type(exc).__name__))
        else:
            self._sent.append(message.id)
            self._count(sent=1)
            logger.debug("delivery.sent chat=%d kind=%s id=%d", chat_id, message.kind, message.id)

    async def _send(self, message: OutboxMessage, chat_id: int) -> None:
        send = self._dispatch(message)
        await self._budget.acquire(chat_id)
        if chat_id in self._gone:
            raise _AlreadyDropped
        await send(chat_id, message.silent_at(self._local_time()))

    def _dispatch(self, message: OutboxMessage) -> Callable[[int, bool], Awaitable[int]]:
        """How a message goes out, by its kind: a channel post or a text."""
        paid = self._config.paid_broadcast
        if message.kind == CHANNEL_POST:
            publisher = self._publisher
            if publisher is None:
                raise MessageRejected("no channel publisher")
            return lambda chat, silent: publisher.publish(
                chat, message.payload, silent=silent, paid=paid
            )
        text = message.text
        if text is None:
            raise MessageRejected("payload has no text")
        return lambda chat, silent: self._sender.send_text(chat, text, silent=silent, paid=paid)

    def _local_time(self) -> time:
        return self._clock.now().astimezone(self._zone).time()

    async def _follow(self, message: OutboxMessage, old: int, new: int) -> None:
        moved = await self._queue.move_chat(old, new)
        self._count(migrated=1)
        logger.info(
            "delivery.migrated chat=%d new_chat=%d kind=%s moved=%d", old, new, message.kind, moved
        )

    async def _skip(self, message: OutboxMessage, chat_id: int, reason: str) -> None:
        """Drop a message its recipient no longer wants (a channel paused since planning)."""
        try:
            await self._queue.drop(message.id, reason)
        except Exception:
            logger.exception("delivery.settle_failed id=%d", message.id)
        self._count(skipped=1)
        logger.info("delivery.skipped chat=%d kind=%s reason=%s", chat_id, message.kind, reason)

    async def _settle(self, message: OutboxMessage, chat_id: int, exc: SendFailed) -> None:
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
            self._count(rate_limited=1)
            logger.warning("delivery.rate_limited chat=%d retry_after=%s", chat_id, exc.seconds)
        elif isinstance(exc, RecipientGone):
            self._gone.add(chat_id)
            dropped = await self._queue.deactivate_recipient(chat_id, error, self._clock.now())
            self._count(deactivated=1, dropped=dropped)
            logger.info(
                "delivery.deactivated chat=%d kind=%s dropped=%d reason=%r",
                *(chat_id, message.kind, dropped, str(exc)),
            )
        elif isinstance(exc, TemporaryFailure) and message.attempts + 1 < self._config.max_attempts:
            await self._retry(message, chat_id, exc, error)
        else:
            await self._queue.dead_letter(message.id, error)
            self._count(dead=1)
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
        self._count(retried=1)
        logger.info(
            "delivery.retry chat=%d kind=%s attempt=%d delay_s=%s error=%r",
            *(chat_id, message.kind, attempt, delay, str(exc)),
        )

    def _count(self, **increments: int) -> None:
        stats = self._stats
        self._stats = replace(
            stats, **{name: getattr(stats, name) + n for name, n in increments.items()}
        )
