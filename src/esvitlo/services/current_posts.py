"""A channel's current schedule as a post, queued in the outbox: the first post right after
the channel is linked to an address, and the owner's test post.

The post is a channel post like any change post (picture drawn once, the channel's post
style), so the sender publishes it, and a channel that turns out to be out of reach is
marked lost and its owner told, as for every post.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from esvitlo.domain.catalogue import Catalogue
from esvitlo.domain.channel_captions import CaptionParts
from esvitlo.domain.channel_posts import CHANNEL_POST, POST_LANGUAGE, ChannelPost, current_post
from esvitlo.domain.direct_messages import DirectMessage
from esvitlo.domain.texts import texts_for
from esvitlo.ports import Clock, Outbox
from esvitlo.services.channels import ChannelService
from esvitlo.services.schedule_board import ScheduleBoard


class PostQueued(StrEnum):
    """What became of a request for the current schedule post."""

    QUEUED = "queued"
    NOT_YOURS = "not_yours"  # not the caller's channel, or not linked to an address
    NO_SCHEDULE = "no_schedule"  # the queue's schedule cannot be had right now


class CurrentSchedulePosts:
    """Queues a post of the current schedule of the address a channel publishes."""

    def __init__(
        self,
        channels: ChannelService,
        board: ScheduleBoard,
        catalogue: Catalogue,
        outbox: Outbox,
        clock: Clock,
    ) -> None:
        self._channels = channels
        self._board = board
        self._catalogue = catalogue
        self._outbox = outbox
        self._clock = clock

    async def caption_parts(self, owner_telegram_id: int, chat_id: int) -> CaptionParts | None:
        """What a caption template of the channel is filled with right now (to preview it),
        or None when the channel is not linked or its schedule cannot be had."""
        post = await self._current(owner_telegram_id, chat_id, header=None)
        return None if post is None else post.parts

    async def _current(
        self, owner_telegram_id: int, chat_id: int, *, header: str | None
    ) -> ChannelPost | None:
        owned = await self._channels.owned(owner_telegram_id, chat_id)
        if owned is None or owned.subscription is None:
            return None
        sub = owned.subscription
        region = self._catalogue.get(sub.region)
        if region is None or not region.has_schedule:  # nothing to post, nothing to fetch
            return None
        now = self._clock.now()
        view = await self._board.view(sub.region, sub.queue, now)
        if view is None or view.schedule is None:
            return None
        return current_post(
            region,
            view.schedule,
            header=texts_for(POST_LANGUAGE).post_test if header is None else header,
            updated_at=view.snapshot.data_updated_at,
            status=view.status,
            now=now,
        )

    async def post(self, owner_telegram_id: int, chat_id: int, *, test: bool) -> PostQueued:
        """Queue the post: after linking (``test`` False) or as a test (paused channels too)."""
        owned = await self._channels.owned(owner_telegram_id, chat_id)
        if owned is None or owned.subscription is None:
            return PostQueued.NOT_YOURS
        sub, channel = owned.subscription, owned.channel
        region = self._catalogue.get(sub.region)
        if region is None or not region.has_schedule:  # nothing to post, nothing to fetch
            return PostQueued.NO_SCHEDULE
        now = self._clock.now()
        view = await self._board.view(sub.region, sub.queue, now)
        if view is None or view.schedule is None:
            return PostQueued.NO_SCHEDULE
        texts = texts_for(POST_LANGUAGE)
        post = current_post(
            region,
            view.schedule,
            header=texts.post_test if test else texts.post_linked,
            updated_at=view.snapshot.data_updated_at,
            status=view.status,
            now=now,
        )
        order = replace(post.order(channel.post_mode, channel.delete_previous), paused_too=test)
        why = "test" if test else "linked"
        key = f"{post.topic}:{why}:{int(now.timestamp() * 1000)}:{chat_id}"
        message = DirectMessage(
            chat_id, CHANNEL_POST, post.topic, key, order.payload(), post.priority
        )
        await self._outbox.enqueue_direct([message], now)
        return PostQueued.QUEUED
