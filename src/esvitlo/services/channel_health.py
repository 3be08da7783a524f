"""The channel health check: every channel looked at once per interval, spread evenly.

Each check asks Telegram for the chat and for the bot's membership, each call passing the
send budget like any message, so thousands of channels never make a burst. A channel the
bot can no longer publish in is marked lost through the delivery queue, which also drops
its waiting posts and tells its owner once per loss (the rule the sender follows when a
post fails); a lost channel found publishable again is made active again without its owner
doing anything. Paused channels that are fine stay paused: pausing is the owner's choice.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import ChannelHealth, CheckedChannel, channel_verdict
from esvitlo.ports import (
    ChannelHealthStore,
    ChatInspector,
    ChatMigrated,
    Clock,
    DeliveryQueue,
    RetryAfter,
    SendBudget,
    SendFailed,
)

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 3600.0
DEFAULT_CONCURRENCY = 20


@dataclass(frozen=True, slots=True)
class HealthStats:
    """Counters since start, for /metrics: checks by outcome and the last round's figures."""

    rounds: int = 0
    checks: int = 0
    healthy: int = 0
    unhealthy: int = 0
    lost: int = 0
    recovered: int = 0
    errors: int = 0
    last_round_at: datetime | None = None
    last_round_channels: int = 0
    last_round_duration_s: float = 0.0


class ChannelHealthCheck:
    """Checks every channel once per ``interval`` seconds; at most ``concurrency`` at a time."""

    def __init__(
        self,
        store: ChannelHealthStore,
        inspector: ChatInspector,
        budget: SendBudget,
        queue: DeliveryQueue,
        clock: Clock,
        *,
        interval: float = DEFAULT_INTERVAL,
        concurrency: int = DEFAULT_CONCURRENCY,
    ) -> None:
        if interval <= 0 or concurrency < 1:
            raise ValueError("interval must be positive and concurrency at least 1")
        self._store = store
        self._inspector = inspector
        self._budget = budget
        self._queue = queue
        self._clock = clock
        self._interval = interval
        self._slots = asyncio.Semaphore(concurrency)
        self._stats = HealthStats()
        self._task: asyncio.Task[None] | None = None

    @property
    def stats(self) -> HealthStats:
        """Counters since start."""
        return self._stats

    async def start(self) -> None:
        """Run rounds back to back, one per interval; no-op when running."""
        if self._task is None:
            self._task = asyncio.create_task(self._loop(), name="channel-health")
            logger.info("channel_health.started interval_s=%s", self._interval)

    async def stop(self) -> None:
        """Cancel the round in progress (and its checks) and wait; idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            logger.info("channel_health.stopped rounds=%d", self._stats.rounds)

    async def run_once(self) -> HealthStats:
        """Check every channel once, the starts spread evenly over the interval; what this
        round counted."""
        started = self._clock.now()
        channels = await self._store.channels_to_check()
        spacing = self._interval / len(channels) if channels else 0.0
        before = self._stats
        async with asyncio.TaskGroup() as group:
            for index, channel in enumerate(channels):
                await self._sleep_until(started + timedelta(seconds=index * spacing))
                await self._slots.acquire()
                group.create_task(self._check_in_slot(channel))
        duration = (self._clock.now() - started).total_seconds()
        self._stats = replace(
            self._stats,
            rounds=self._stats.rounds + 1,
            last_round_at=started,
            last_round_channels=len(channels),
            last_round_duration_s=duration,
        )
        round_stats = _difference(self._stats, before)
        logger.info(
            "channel_health.round channels=%d healthy=%d unhealthy=%d lost=%d recovered=%d "
            "errors=%d duration_s=%.1f",
            len(channels),
            round_stats.healthy,
            round_stats.unhealthy,
            round_stats.lost,
            round_stats.recovered,
            round_stats.errors,
            duration,
        )
        return round_stats

    async def check(self, channel: CheckedChannel) -> ChannelHealth | None:
        """Check one channel now and act on the verdict; None when Telegram gave no answer."""
        verdict = await self._ask(channel.chat_id)
        if verdict is None:
            self._count(errors=1)
            return None
        self._count(checks=1, healthy=int(verdict.reachable), unhealthy=int(not verdict.reachable))
        if verdict.reachable and channel.status is ChannelStatus.LOST:
            if await self._store.mark_recovered(channel.chat_id):
                self._count(recovered=1)
                logger.info("channel_health.recovered chat=%d", channel.chat_id)
        elif not verdict.reachable and channel.status is not ChannelStatus.LOST:
            now = self._clock.now()
            await self._queue.deactivate_recipient(channel.chat_id, f"health check: {verdict}", now)
            self._count(lost=1)
            logger.info(
                "channel_health.lost chat=%d verdict=%s was=%s",
                channel.chat_id,
                verdict,
                channel.status,
            )
        return verdict

    async def _ask(self, chat_id: int) -> ChannelHealth | None:
        """Telegram's answer about a chat as a verdict, each call passing the budget."""
        try:
            await self._budget.acquire(chat_id)
            chat = await self._inspector.lookup_chat(chat_id)
            member = None
            if chat.found and not chat.bot_shut_out:
                await self._budget.acquire(chat_id)
                member = await self._inspector.bot_membership(chat_id)
        except RetryAfter as exc:
            logger.warning("channel_health.flood_wait chat=%d seconds=%s", chat_id, exc.seconds)
            await self._budget.pause(exc.seconds)
            return None
        except ChatMigrated as exc:
            moved = await self._queue.move_chat(chat_id, exc.new_chat_id)
            logger.info(
                "channel_health.migrated chat=%d to=%d moved=%d", chat_id, exc.new_chat_id, moved
            )
            return None
        except SendFailed as exc:
            logger.warning("channel_health.no_answer chat=%d error=%s", chat_id, exc)
            return None
        return channel_verdict(chat, member)

    async def _check_in_slot(self, channel: CheckedChannel) -> None:
        try:
            await self.check(channel)
        except Exception:
            self._count(errors=1)
            logger.exception("channel_health.check_failed chat=%d", channel.chat_id)
        finally:
            self._slots.release()

    async def _sleep_until(self, moment: datetime) -> None:
        wait = (moment - self._clock.now()).total_seconds()
        if wait > 0:
            await self._clock.sleep(wait)

    async def _loop(self) -> None:
        while True:
            started = self._clock.now()
            try:
                await self.run_once()
            except Exception:
                logger.exception("channel_health.round_failed")
            await self._sleep_until(started + timedelta(seconds=self._interval))

    def _count(self, **increments: int) -> None:
        stats = self._stats
        self._stats = replace(
            stats, **{name: getattr(stats, name) + n for name, n in increments.items()}
        )


def _difference(after: HealthStats, before: HealthStats) -> HealthStats:
    """The counts added between two snapshots of the stats (the round's own figures)."""
    return HealthStats(
        rounds=after.rounds - before.rounds,
        checks=after.checks - before.checks,
        healthy=after.healthy - before.healthy,
        unhealthy=after.unhealthy - before.unhealthy,
        lost=after.lost - before.lost,
        recovered=after.recovered - before.recovered,
        errors=after.errors - before.errors,
        last_round_at=after.last_round_at,
        last_round_channels=after.last_round_channels,
        last_round_duration_s=after.last_round_duration_s,
    )
