"""Sending a schedule change alert: the schedule picture with the text as its caption and the
buttons, the picture drawn and uploaded once per key and re-sent by file_id to everyone else
(as channel posts are, :meth:`SchedulePhotos.send_once`).

A row planned before alerts had pictures holds a text only and goes out as a text. Failures
are the sender's ``SendFailed`` like any message's, so the outbox sender's outcomes (429,
403, 5xx, quiet hours) apply unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from esvitlo.domain.alert_messages import AlertMessage, AlertPicture
from esvitlo.domain.texts import texts_for
from esvitlo.ports import MessageRejected, MessageSender, SentPhoto
from esvitlo.services.schedule_photos import SchedulePhotos

PARSED_PICTURES = 256
"""Parsed pictures kept at most (a few per change: one per language and outline)."""


class AlertSender:
    """Sends one ``schedule_change`` outbox message to one chat."""

    def __init__(self, sender: MessageSender, photos: SchedulePhotos) -> None:
        self._sender = sender
        self._photos = photos
        self._drawn: dict[str, bytes] = {}  # drawn before a send slot, not uploaded yet
        self._pictures: dict[str, AlertPicture] = {}  # parsed once per key, see _message

    @asynccontextmanager
    async def picture_turn(self, payload: Mapping[str, Any]) -> AsyncIterator[None]:
        """Hold the upload turn of the alert's picture from before taking a send slot until
        sent (:meth:`SchedulePhotos.upload_turn`); a picture not uploaded yet is drawn here,
        so that its upload leaves at its slot and the messages waiting for its file_id take
        their slots after it, evenly, instead of bunching into a flood."""
        photo = payload.get("photo")
        key = photo.get("key") if isinstance(photo, Mapping) else None
        if not isinstance(photo, Mapping) or not isinstance(key, str) or self._known(key):
            yield
            return
        async with self._photos.upload_turn(key):
            if self._photos.file_id(key) is None and key not in self._drawn:
                try:
                    picture = AlertPicture.from_json(photo)
                except (KeyError, TypeError, ValueError, AttributeError):
                    picture = None  # refused when sent
                if picture is not None:
                    self._drawn[key] = await self._draw(picture)
            yield

    def _known(self, key: str) -> bool:
        return self._photos.file_id(key) is not None

    async def send(
        self, chat_id: int, payload: Mapping[str, Any], *, silent: bool = False, paid: bool = False
    ) -> int:
        """Send the alert in ``payload``; the new message's id. MessageRejected for a payload
        that is no alert, the sender's SendFailed otherwise."""
        message, key = self._message(payload)
        keyboard = message.keyboard
        picture = message.picture
        if picture is None or key is None:
            return await self._sender.send_text(
                chat_id, message.text, silent=silent, paid=paid, keyboard=keyboard
            )

        async def send(photo: bytes | str) -> SentPhoto:
            return await self._sender.send_photo(
                chat_id, photo, message.text, silent=silent, paid=paid, keyboard=keyboard
            )

        sent = await self._photos.send_once(key, lambda: self._png(picture), send)
        return sent.message_id

    def _message(self, payload: Mapping[str, Any]) -> tuple[AlertMessage, str | None]:
        """The alert in ``payload`` and its picture's key, the picture parsed once per key:
        every follower of a queue gets the same one, and parsing it (and working out its key)
        for each was a fifth of the pipeline's own CPU."""
        photo = payload.get("photo")
        key = photo.get("key") if isinstance(photo, Mapping) else None
        known = self._pictures.get(key) if isinstance(key, str) else None
        try:
            if known is not None:
                text_only = AlertMessage.from_payload({**payload, "photo": None})
                return replace(text_only, picture=known), key
            message = AlertMessage.from_payload(payload)
        except ValueError as exc:
            raise MessageRejected(str(exc)) from exc
        if message.picture is None:
            return message, None
        if key == message.picture.key:  # a key written by the planning, as it always is
            if len(self._pictures) >= PARSED_PICTURES:
                self._pictures.clear()
            self._pictures[key] = message.picture
        return message, message.picture.key

    async def _png(self, shown: AlertPicture) -> bytes:
        """The picture drawn before the send slot, or drawn now."""
        drawn = self._drawn.pop(shown.key, None)
        return drawn if drawn is not None else await self._draw(shown)

    async def _draw(self, shown: AlertPicture) -> bytes:
        picture = shown.picture
        return await self._photos.render(
            picture.schedule,
            picture.today,
            picture.tz,
            texts_for(picture.lang),
            picture.region,
            picture.title,
            highlight=shown.highlight,
        )
