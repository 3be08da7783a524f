"""Addresses found by lookup, kept as text and looked up again once a day.

Operators renumber street and house ids and now and then move a house to another queue, so
what a subscription was found from stays as its street and house text (``AddressBook``).
Every ``interval`` seconds the leader takes the addresses due (a day after their last check,
spread by id) and resolves them again through the same sources, paced like every lookup.
A queue that changed moves the subscription (unless the user already follows the new one
there) and the user is told through the outbox; a source that fails is asked again later.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from esvitlo.domain.address_lookup import FoundAddress, next_recheck
from esvitlo.domain.delivery import PRIORITY_TODAY
from esvitlo.domain.direct_messages import DirectMessage
from esvitlo.domain.texts.lookup import lookup_texts_for
from esvitlo.ports import AddressBook, Clock, LookupFailed, Outbox
from esvitlo.services.address_lookup import AddressFinder

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(hours=6)
"""When a source failed or no longer matches the address exactly, look again this much later."""


@dataclass(frozen=True, slots=True)
class RecheckReport:
    """What one pass did."""

    checked: int = 0
    moved: int = 0
    failed: int = 0


class AddressRecheck:
    """Remembers the addresses subscriptions were found from and re-resolves them daily."""

    def __init__(
        self,
        book: AddressBook,
        finder: AddressFinder,
        outbox: Outbox,
        clock: Clock,
        *,
        interval: float = 60.0,
        batch: int = 30,
    ) -> None:
        self._book = book
        self._finder = finder
        self._outbox = outbox
        self._clock = clock
        self._interval = interval
        self._batch = batch
        self._task: asyncio.Task[None] | None = None

    async def remember(self, subscription_id: int, street: str, house: str, queue: str) -> None:
        """Keep the address a subscription was just found from; first re-check in a day."""
        now = self._clock.now()
        await self._book.save(
            subscription_id, street, house, queue, next_recheck(now, subscription_id)
        )

    async def run_once(self) -> RecheckReport:
        """Re-resolve the addresses due now (at most ``batch``)."""
        now = self._clock.now()
        checked = moved = failed = 0
        for address in await self._book.due(now, self._batch):
            checked += 1
            try:
                found = await self._finder.resolve(address.region, address.street, address.house)
            except LookupFailed as exc:
                failed += 1
                logger.info("lookup.recheck_failed sub=%s error=%s", address.subscription_id, exc)
                await self._book.postpone(address.subscription_id, now + RETRY_AFTER)
                continue
            if found.queue is None or found.queue == address.queue:
                later = (
                    next_recheck(now, address.subscription_id) if found.queue else now + RETRY_AFTER
                )
                await self._book.postpone(address.subscription_id, later)
                continue
            moved += 1
            await self._tell(address, found.queue, now)
        return RecheckReport(checked, moved, failed)

    async def _tell(self, address: FoundAddress, queue: str, now: datetime) -> None:
        sub = address.subscription_id
        shifted = await self._book.move(sub, queue, next_recheck(now, sub))
        logger.info(
            "lookup.queue_changed sub=%s old=%s new=%s moved=%s", sub, address.queue, queue, shifted
        )
        text = lookup_texts_for(address.language).group_changed.format(
            label=escape(address.label), old=escape(address.queue), new=escape(queue)
        )
        topic = f"address:{sub}"
        message = DirectMessage(
            address.chat_id,
            "address_queue",
            topic,
            f"{topic}:{queue}:{now.date()}",
            {"text": text},
            PRIORITY_TODAY,
        )
        await self._outbox.enqueue_direct([message], now)

    async def start(self) -> None:
        """Check every ``interval`` seconds until stopped; no-op when running."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="address-recheck")

    async def stop(self) -> None:
        """Stop checking (a pass in progress is cancelled) and wait; idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            try:
                report = await self.run_once()
                if report.checked:
                    logger.info(
                        "lookup.recheck checked=%d moved=%d failed=%d",
                        report.checked,
                        report.moved,
                        report.failed,
                    )
            except Exception:
                logger.exception("lookup.recheck_crashed")
            await self._clock.sleep(self._interval)
