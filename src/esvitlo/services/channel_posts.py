"""Publishing schedule posts into channels: the picture drawn once, then re-sent by file_id.

A post goes to an active channel only: one paused or lost since the post was planned is
skipped (the owner's test post reaches a paused channel too). In "edit" mode the channel's
previous post gets the new picture and caption; when that post is gone or can no longer be
edited, a new post is made instead. In "new" mode a new post is made, and the previous one
deleted when the channel asks for it (a failed delete is only logged: the new post is out).
The first post that needs a picture draws and uploads it; posts of the same picture to
other channels wait for that upload and re-send Telegram's file_id. Under the post, unless
the order says otherwise, two link buttons open the bot on the queue's timer and schedule
(deep links, so the bot's username is given at composition).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from esvitlo.domain.accounts import ChannelStatus, PostMode
from esvitlo.domain.buttons import NO_BUTTONS, Keyboard
from esvitlo.domain.channel_posts import PostOrder
from esvitlo.domain.deep_links import queue_links
from esvitlo.domain.texts import texts_for
from esvitlo.ports import (
    Channels,
    MessageRejected,
    MessageSender,
    SendFailed,
    SentPhoto,
    TargetMessageGone,
)
from esvitlo.services.schedule_photos import SchedulePhotos, Send

logger = logging.getLogger(__name__)


class PostSkipped(Exception):
    """The channel no longer wants posts (paused, lost or forgotten since planning)."""


class ChannelPublisher:
    """Posts, or edits, one schedule post per outbox message in a user's channel."""

    def __init__(
        self,
        channels: Channels,
        sender: MessageSender,
        photos: SchedulePhotos,
        bot_username: str | None = None,
    ) -> None:
        self._channels = channels
        self._sender = sender
        self._photos = photos
        self._bot_username = bot_username  # None: no link buttons

    async def publish(
        self,
        chat_id: int,
        payload: Mapping[str, Any],
        *,
        silent: bool = False,
        paid: bool = False,
    ) -> int:
        """Publish the post in ``payload``; the id of the channel message now showing it.

        Raises PostSkipped when the channel no longer wants posts, MessageRejected for a
        payload that is no post, and the sender's SendFailed otherwise.
        """
        try:
            order = PostOrder.from_payload(payload)
        except ValueError as exc:
            raise MessageRejected(str(exc)) from exc
        channel = await self._channels.get_by_chat_id(chat_id)
        wanted = (
            {ChannelStatus.ACTIVE, ChannelStatus.PAUSED}
            if order.paused_too
            else {ChannelStatus.ACTIVE}
        )
        if channel is None or channel.status not in wanted:
            raise PostSkipped("channel " + ("unknown" if channel is None else channel.status))
        previous = channel.last_post_message_id
        # the channel's caption style and template, and its forum topic (groups)
        caption = order.caption_for(channel.caption_style, channel.caption_template)
        keyboard = self._keyboard(order) if channel.post_buttons else NO_BUTTONS
        if order.mode is PostMode.EDIT and previous is not None:
            try:
                await self._with_picture(order, self._edit(chat_id, previous, caption, keyboard))
            except TargetMessageGone as exc:
                logger.info(
                    "channel.edit_fallback chat=%d message=%d reason=%r",
                    chat_id,
                    previous,
                    str(exc),
                )
            else:
                return previous
        send = self._new(chat_id, caption, channel.thread_id, keyboard, silent=silent, paid=paid)
        sent = await self._with_picture(order, send)
        await self._channels.set_last_post(chat_id, sent.message_id)
        if order.delete_previous and previous is not None:
            await self._delete(chat_id, previous)
        return sent.message_id

    def _new(
        self,
        chat_id: int,
        caption: str,
        thread_id: int | None,
        keyboard: Keyboard,
        *,
        silent: bool,
        paid: bool,
    ) -> Send:
        async def send(photo: bytes | str) -> SentPhoto:
            return await self._sender.send_photo(
                chat_id, photo, caption, silent=silent, paid=paid, thread_id=thread_id,
                keyboard=keyboard,
            )  # fmt: skip

        return send

    def _edit(self, chat_id: int, message_id: int, caption: str, keyboard: Keyboard) -> Send:
        async def edit(photo: bytes | str) -> SentPhoto:
            return await self._sender.edit_photo(
                chat_id, message_id, photo, caption, keyboard=keyboard
            )

        return edit

    async def _with_picture(self, order: PostOrder, send: Send) -> SentPhoto:
        """Send with the picture's file_id when known, else draw and upload it once."""
        return await self._photos.send_once(order.picture.key, lambda: self._draw(order), send)

    def _keyboard(self, order: PostOrder) -> Keyboard:
        """The ⏰ timer and 📊 today links under the post, when wanted and possible."""
        if not order.buttons or not self._bot_username:
            return NO_BUTTONS
        picture = order.picture
        texts = texts_for(picture.lang)
        return queue_links(self._bot_username, picture.region_id, picture.schedule.queue, texts)

    async def _draw(self, order: PostOrder) -> bytes:
        picture = order.picture
        texts = texts_for(picture.lang)
        return await self._photos.render(
            picture.schedule, picture.today, picture.tz, texts, picture.region, picture.title
        )

    async def _delete(self, chat_id: int, message_id: int) -> None:
        try:
            await self._sender.delete_message(chat_id, message_id)
        except SendFailed as exc:
            logger.info(
                "channel.delete_failed chat=%d message=%d reason=%r", chat_id, message_id, str(exc)
            )
