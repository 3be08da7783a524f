"""Publishing schedule posts into channels: the picture drawn once, then re-sent by file_id.

A post goes to an active channel only: one paused or lost since the post was planned is
skipped (the owner's test post reaches a paused channel too). In "edit" mode the channel's
previous post gets the new picture and caption; when that post is gone or can no longer be
edited, a new post is made instead. In "new" mode a new post is made, and the previous one
deleted when the channel asks for it (a failed delete is only logged: the new post is out).
The first post that needs a picture draws and uploads it; posts of the same picture to
other channels wait for that upload and re-send Telegram's file_id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from esvitlo.domain.accounts import ChannelStatus, PostMode
from esvitlo.domain.channel_posts import PostOrder
from esvitlo.domain.texts import texts_for
from esvitlo.ports import (
    Channels,
    MessageRejected,
    MessageSender,
    SendFailed,
    SentPhoto,
    TargetMessageGone,
)
from esvitlo.services.schedule_photos import SchedulePhotos

logger = logging.getLogger(__name__)

Send = Callable[[bytes | str], Awaitable[SentPhoto]]


class PostSkipped(Exception):
    """The channel no longer wants posts (paused, lost or forgotten since planning)."""


class ChannelPublisher:
    """Posts, or edits, one schedule post per outbox message in a user's channel."""

    def __init__(self, channels: Channels, sender: MessageSender, photos: SchedulePhotos) -> None:
        self._channels = channels
        self._sender = sender
        self._photos = photos
        self._uploads: dict[str, asyncio.Lock] = {}

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
        if order.mode is PostMode.EDIT and previous is not None:
            try:
                await self._with_picture(order, self._edit(chat_id, previous, order.caption))
            except TargetMessageGone as exc:
                logger.info(
                    "channel.edit_fallback chat=%d message=%d reason=%r",
                    chat_id,
                    previous,
                    str(exc),
                )
            else:
                return previous
        send = self._new(chat_id, order.caption, silent=silent, paid=paid)
        sent = await self._with_picture(order, send)
        await self._channels.set_last_post(chat_id, sent.message_id)
        if order.delete_previous and previous is not None:
            await self._delete(chat_id, previous)
        return sent.message_id

    def _new(self, chat_id: int, caption: str, *, silent: bool, paid: bool) -> Send:
        async def send(photo: bytes | str) -> SentPhoto:
            return await self._sender.send_photo(chat_id, photo, caption, silent=silent, paid=paid)

        return send

    def _edit(self, chat_id: int, message_id: int, caption: str) -> Send:
        async def edit(photo: bytes | str) -> SentPhoto:
            return await self._sender.edit_photo(chat_id, message_id, photo, caption)

        return edit

    async def _with_picture(self, order: PostOrder, send: Send) -> SentPhoto:
        """Send with the picture's file_id when known, else draw and upload it; one upload
        of a picture at a time, the others wait and use its file_id."""
        key = order.picture.key
        file_id = self._photos.file_id(key)
        if file_id is not None:
            return await send(file_id)
        lock = self._uploads.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                file_id = self._photos.file_id(key)
                if file_id is not None:
                    return await send(file_id)
                sent = await send(await self._draw(order))
                if sent.file_id is not None:
                    self._photos.remember(key, sent.file_id)
                return sent
        finally:
            if self._uploads.get(key) is lock:
                del self._uploads[key]

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
