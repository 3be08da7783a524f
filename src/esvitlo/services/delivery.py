"""The outbox sender: claims due messages in small batches and sends them within Telegram's limits.

Every instance runs one. It holds at most ``max_in_flight`` messages claimed and not yet
recorded (being sent, or delivered and waiting to be marked sent), topping them up with a
claim of up to ``batch_size`` as soon as half of that room is free; it sends each through
the SendBudget (global rate, per-chat spacing, 429 pauses) and records the outcome:
delivered messages are marked sent together before the next claim (a tick later at the
latest); a 429 pauses the budget and puts the message back without counting an attempt;
server and network errors back off exponentially and are dead-lettered after
``max_attempts``; a blocked, deactivated, kicked or unknown chat is deactivated with its
waiting messages dropped; a group that became a supergroup is followed to its new id and
sent there. A user in their quiet hours (Kyiv time at sending) gets the message without
sound. Channel posts (kind ``channel_post``) go through the ChannelPublisher; one for a
channel that was paused since planning is dropped unsent. Schedule change alerts (kind
``schedule_change``) go through the AlertSender: the picture, the text as caption, buttons
(without one, as a text). The outcomes are recorded by
``DeliveryOutcomes`` (``delivery_outcomes.py``); the settings are ``DeliveryConfig``.

Delivery is at least once: a sender that dies leaves its claimed messages ``sending``, and
they are claimed again when the lease runs out. Only messages it held can be sent twice, so
a crash repeats at most ``max_in_flight`` messages: one claim with the defaults.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from structlog.contextvars import bind_contextvars

from esvitlo.domain.alerts import SCHEDULE_ALERT
from esvitlo.domain.channel_posts import CHANNEL_POST
from esvitlo.domain.delivery import OutboxMessage
from esvitlo.ports import (
    ChatMigrated,
    Clock,
    DeliveryQueue,
    MessageRejected,
    MessageSender,
    SendBudget,
    SendFailed,
    TemporaryFailure,
)
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.channel_posts import ChannelPublisher, PostSkipped
from esvitlo.services.delivery_config import DeliveryConfig
from esvitlo.services.delivery_outcomes import OUTCOMES, DeliveryOutcomes, DeliveryStats

__all__ = ["OUTCOMES", "DeliveryConfig", "DeliveryStats", "OutboxSender"]

logger = logging.getLogger(__name__)

MIGRATION_HOPS = 2


class _AlreadyDropped(Exception):
    """The chat was deactivated while this message waited; its row is already dropped."""


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
        alerts: AlertSender | None = None,
    ) -> None:
        self._queue = queue
        self._sender = sender
        self._publisher = publisher
        self._alerts = alerts
        self._budget = budget
        self._clock = clock
        self._config = config or DeliveryConfig()
        self._zone = ZoneInfo(self._config.zone)
        self._outcomes = DeliveryOutcomes(queue, budget, clock, self._config)
        self._tasks: set[asyncio.Task[None]] = set()
        self._sent: list[int] = []
        self._flushing = 0  # delivered, being marked sent right now
        self._unsent: list[int] = []
        self._runner: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()

    @property
    def stats(self) -> DeliveryStats:
        """Counters so far."""
        return self._outcomes.stats

    @property
    def outcomes(self) -> Mapping[tuple[str, str], int]:
        """Messages per (kind, outcome) so far; outcomes are the OUTCOMES counters."""
        return self._outcomes.per_kind

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
        stats = self._outcomes.stats
        logger.info("delivery.stopped sent=%d dead=%d", stats.sent, stats.dead)

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
        refill_at = self._config.refill_at
        while not self._stopping.is_set():
            wanted = claimed = 0
            try:
                await self._flush()  # record before claiming more: a crash repeats less
                if not self._tasks:
                    self._outcomes.forget_gone()
                room = self._room()
                if room >= refill_at:
                    wanted = min(room, self._config.batch_size)
                    claimed = self._spawn(await self._claim(wanted))
            except Exception:
                logger.exception("delivery.loop_failed")
            if claimed == wanted > 0 and self._room() >= refill_at:
                continue  # a full claim may leave more due at once, and there is room
            busy = self._tasks or self._sent
            await self._pause(self._config.tick if busy else self._config.idle_poll)

    def _room(self) -> int:
        """How many more messages this sender may hold."""
        held = len(self._tasks) + len(self._sent) + self._flushing
        return self._config.max_in_flight - held

    async def _claim(self, limit: int) -> list[OutboxMessage]:
        lease = timedelta(seconds=self._config.lease)
        return await self._queue.claim(limit, self._clock.now(), lease)

    def _spawn(self, batch: list[OutboxMessage]) -> int:
        for message in batch:
            task = asyncio.create_task(self._deliver(message), name=f"delivery:{message.id}")
            self._tasks.add(task)
            task.add_done_callback(self._done)
        return len(batch)

    def _done(self, task: asyncio.Task[None]) -> None:
        """Forget a finished task; wake the loop once enough room is (or will be, after the
        flush) free for the next claim."""
        self._tasks.discard(task)
        if self._config.max_in_flight - len(self._tasks) - self._flushing >= self._config.refill_at:
            self._wake.set()

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
        self._flushing = len(sent)
        try:
            await self._queue.mark_sent(sent, self._clock.now())
        except Exception:
            self._sent = sent + self._sent
            logger.exception("delivery.flush_failed count=%d", len(sent))
        finally:
            self._flushing = 0

    async def _deliver(self, message: OutboxMessage) -> None:
        """Send one message, following a migrated group, and record what became of it."""
        chat_id = message.chat_id
        bind_contextvars(chat=chat_id, kind=message.kind)  # this message's own task
        try:
            for _ in range(MIGRATION_HOPS):
                try:
                    await self._send(message, chat_id)
                    break
                except ChatMigrated as exc:
                    await self._outcomes.migrated(message, chat_id, exc.new_chat_id)
                    chat_id = exc.new_chat_id
            else:
                raise TemporaryFailure("chat keeps migrating")
        except asyncio.CancelledError:
            self._unsent.append(message.id)
            raise
        except _AlreadyDropped:
            logger.debug("delivery.skipped chat=%d id=%d", chat_id, message.id)
        except PostSkipped as exc:
            await self._outcomes.skip(message, chat_id, str(exc))
        except SendFailed as exc:
            await self._outcomes.settle(message, chat_id, exc)
        except Exception as exc:  # an unexpected library error: worth another try
            logger.exception("delivery.unexpected id=%d", message.id)
            await self._outcomes.settle(message, chat_id, TemporaryFailure(type(exc).__name__))
        else:
            self._sent.append(message.id)
            self._outcomes.sent(message)
            logger.debug("delivery.sent chat=%d kind=%s id=%d", chat_id, message.kind, message.id)

    async def _send(self, message: OutboxMessage, chat_id: int) -> None:
        send = self._dispatch(message)
        async with self._picture_turn(message):  # a picture being uploaded: wait before a slot
            await self._budget.acquire(chat_id)
            if self._outcomes.is_gone(chat_id):
                raise _AlreadyDropped
            await send(chat_id, self._silent(message))

    def _picture_turn(self, message: OutboxMessage) -> AbstractAsyncContextManager[None]:
        """The upload turn of an alert's picture not uploaded yet (drawn before the slot)."""
        if self._alerts is None or message.kind != SCHEDULE_ALERT:
            return nullcontext()
        return self._alerts.picture_turn(message.payload)

    def _dispatch(self, message: OutboxMessage) -> Callable[[int, bool], Awaitable[int]]:
        """How a message goes out, by its kind: a channel post, a change alert or a text."""
        paid = self._config.paid_broadcast
        alerts = self._alerts
        if message.kind == SCHEDULE_ALERT and alerts is not None:
            return lambda chat, silent: alerts.send(chat, message.payload, silent=silent, paid=paid)
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

    def _silent(self, message: OutboxMessage) -> bool:
        """Whether the recipient is in their quiet hours now (Kyiv time)."""
        if message.quiet_start is None:
            return False
        local: time = self._clock.now().astimezone(self._zone).time()
        return message.silent_at(local)
