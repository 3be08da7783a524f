"""The weekly plan-versus-fact post to the channels whose owners asked for it.

Owners switch it on per channel (an ``app_flags`` row, see ``domain.plan_fact_weekly``). On
the leader a ``Repeating`` loop looks every few minutes whether a post is due (Monday from
09:00, Kyiv time); when it is, it builds the finished week's report once and queues one text
post per opted-in active channel whose queue is in the report (above the privacy floor). The
outbox key per (channel, ISO week) makes a second pass, a restart or a second leader queue
nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_posts import POST_LANGUAGE
from esvitlo.domain.delivery import PRIORITY_BROADCAST
from esvitlo.domain.direct_messages import DirectMessage
from esvitlo.domain.plan_fact import QueuePlanFact
from esvitlo.domain.plan_fact_weekly import (
    FLAG_ON,
    FLAG_PREFIX,
    WEEKLY_POST,
    DueWeek,
    chat_of_flag,
    due_week,
    flag_name,
    weekly_post_text,
)
from esvitlo.domain.texts import bot_texts_for, texts_for
from esvitlo.ports import AppFlags, Channels, Clock, FlagNames, Outbox, Subscriptions
from esvitlo.services.channels import ChannelService, OwnedChannel
from esvitlo.services.plan_fact import DEFAULT_ZONE, PlanFactReports
from esvitlo.services.repeating import Repeating

logger = logging.getLogger(__name__)

CHECK_EVERY = 300.0  # seconds between looks at the clock


class WeeklyFlags(AppFlags, FlagNames, Protocol):
    """The flag table as this service uses it: read, write and list by prefix."""


class WeeklyPlanFactPosts:
    """Per-channel opt-in and the Monday post of the last week's plan versus fact."""

    def __init__(
        self,
        flags: WeeklyFlags,
        owners: ChannelService,
        channels: Channels,
        subscriptions: Subscriptions,
        reports: PlanFactReports,
        outbox: Outbox,
        clock: Clock,
        region_names: Mapping[str, str],
        *,
        interval: float = CHECK_EVERY,
    ) -> None:
        self._flags = flags
        self._owners = owners
        self._channels = channels
        self._subscriptions = subscriptions
        self._reports = reports
        self._outbox = outbox
        self._clock = clock
        self._region_names = region_names
        self._zone = ZoneInfo(DEFAULT_ZONE)
        self._loop = Repeating(
            self.run_once,
            clock,
            lambda: interval,
            name="plan-fact-weekly",
            failure_event="plan_fact_weekly.failed",
        )

    async def start(self) -> None:
        self._loop.start()

    async def stop(self) -> None:
        await self._loop.stop()

    async def is_on(self, chat_id: int) -> bool:
        """Whether the channel gets the weekly post."""
        return await self._flags.get(flag_name(chat_id)) is not None

    async def toggle(
        self, owner_telegram_id: int, chat_id: int
    ) -> tuple[OwnedChannel, bool] | None:
        """Switch the caller's channel's weekly post: the channel and whether the post is on
        now, or None when the channel is not the caller's."""
        owned = await self._owners.owned(owner_telegram_id, chat_id)
        if owned is None:
            return None
        on = not await self.is_on(chat_id)
        await self._flags.set(flag_name(chat_id), FLAG_ON if on else None)
        return owned, on

    async def run_once(self) -> int:
        """Queue the posts due now; how many rows the outbox took (0 when none is due or
        all were queued already)."""
        now = self._clock.now()
        week = due_week(now, self._zone)
        if week is None:
            return 0
        chats = [
            chat
            for name in await self._flags.names(FLAG_PREFIX)
            if (chat := chat_of_flag(name)) is not None
        ]
        if not chats:
            return 0
        report = await self._reports.report(week.since, week.until)
        by_queue = {(q.region, q.queue): q for q in report.queues}
        messages = []
        for chat_id in chats:
            message = await self._message(chat_id, week, by_queue)
            if message is not None:
                messages.append(message)
        added = await self._outbox.enqueue_direct(messages, now)
        if added:
            logger.info("plan_fact_weekly.queued week=%s posts=%d", week.label, added)
        return added

    async def _message(
        self, chat_id: int, week: DueWeek, by_queue: Mapping[tuple[str, str], QueuePlanFact]
    ) -> DirectMessage | None:
        """The post for one channel, None when it is not active, not linked, or its queue is
        below the privacy floor."""
        channel = await self._channels.get_by_chat_id(chat_id)
        if channel is None or channel.status is not ChannelStatus.ACTIVE:
            return None
        if channel.subscription_id is None:
            return None
        sub = await self._subscriptions.get(channel.subscription_id, channel.owner_user_id)
        if sub is None:
            return None
        queue = by_queue.get((sub.region, sub.queue))
        if queue is None:
            return None
        ui, texts = bot_texts_for(POST_LANGUAGE), texts_for(POST_LANGUAGE)
        region = self._region_names.get(sub.region, sub.region)
        text = weekly_post_text(queue, week, region, ui, texts)
        topic = f"{WEEKLY_POST}:{week.label}"
        return DirectMessage(
            chat_id, WEEKLY_POST, topic, week.key(chat_id), {"text": text}, PRIORITY_BROADCAST
        )
