"""Schedule images: rendered once per distinct schedule, then re-sent by Telegram file_id.

A picture the bot shows on demand also marks the half-hour "now" on today's bar and warns
when the data may be outdated, so its key holds the half-hour and the data's status: such a
picture is drawn and uploaded at most once per half-hour (and status) while it is asked for.
Channel posts and alerts, which stay in a chat for hours, carry neither mark and keep the
plain key (:func:`picture_key`). Channel posts and change alerts send pictures alike
(:meth:`SchedulePhotos.send_once`): the first message of a picture draws and uploads it, the
others wait for that upload and re-send Telegram's file_id.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

from esvitlo.domain.channel_posts import picture_key
from esvitlo.domain.model import DataStatus, QueueSchedule, Span
from esvitlo.domain.texts import Texts
from esvitlo.ports import ChartRenderer, SentPhoto

Send = Callable[[bytes | str], Awaitable[SentPhoto]]
"""Sends (or edits in) a photo: PNG bytes to upload, or a file_id."""

_TURNS: ContextVar[frozenset[str]] = ContextVar("picture_upload_turns", default=frozenset())
"""The pictures whose upload turn the current task holds."""

SLOT_MINUTES = 30
"""The "now" mark's resolution: the feeds' own cell, so a cached picture is never wrong."""


def now_slot(now: datetime, zone: ZoneInfo) -> Span:
    """The half-hour of the local (wall-clock) day that ``now`` falls in."""
    local = now.astimezone(zone)
    start = (local.hour * 60 + local.minute) // SLOT_MINUTES * SLOT_MINUTES
    return Span(start, start + SLOT_MINUTES)


class SchedulePhotos:
    """Renders schedule PNGs off the event loop and remembers Telegram's file ids."""

    def __init__(self, renderer: ChartRenderer, size: int = 4096) -> None:
        self._renderer = renderer
        self._size = size
        self._file_ids: OrderedDict[str, str] = OrderedDict()
        self._uploads: dict[str, asyncio.Lock] = {}

    @staticmethod
    def key(
        region: str,
        schedule: QueueSchedule,
        today: date,
        lang: str,
        *,
        now: Span | None = None,
        status: DataStatus = DataStatus.FRESH,
    ) -> str:
        """Identifies one picture: region, queue, date, each day's fingerprint, language,
        and the marks drawn on it (the half-hour now, a status other than fresh)."""
        marks = [picture_key(region, schedule, today, lang)]
        if now is not None:
            marks.append(f"now={now.start}")
        if status is not DataStatus.FRESH:
            marks.append(status.value)
        return "|".join(marks)

    def file_id(self, key: str) -> str | None:
        """The file id of an already uploaded picture, if any."""
        found = self._file_ids.get(key)
        if found is not None:
            self._file_ids.move_to_end(key)
        return found

    def remember(self, key: str, file_id: str) -> None:
        """Record the file id Telegram gave an uploaded picture."""
        self._file_ids[key] = file_id
        self._file_ids.move_to_end(key)
        while len(self._file_ids) > self._size:
            self._file_ids.popitem(last=False)

    @asynccontextmanager
    async def upload_turn(self, key: str) -> AsyncIterator[None]:
        """Hold the turn to upload a picture not uploaded yet: one task at a time, the others
        wait here. The outbox sender takes it before a send slot, so the messages waiting for
        an upload take their slots after it, spaced, instead of all at once when it ends.
        Re-entrant within a task; nothing to wait for once the file_id is known, also for a
        task that waited for the upload: it lets go of the turn at once, or the tasks that
        waited would send one after another, each holding the turn until its answer came."""
        if self.file_id(key) is not None or key in _TURNS.get():
            yield
            return
        lock = self._uploads.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                uploaded = self.file_id(key) is not None
                if not uploaded:
                    token = _TURNS.set(_TURNS.get() | {key})
                    try:
                        yield
                    finally:
                        _TURNS.reset(token)
            if uploaded:
                yield
        finally:
            if self._uploads.get(key) is lock:
                del self._uploads[key]

    async def send_once(
        self, key: str, draw: Callable[[], Awaitable[bytes]], send: Send
    ) -> SentPhoto:
        """Send with the picture's file_id when known, else draw and upload it; one upload
        of a picture at a time (:meth:`upload_turn`), the others wait and use its file_id."""
        file_id = self.file_id(key)
        if file_id is not None:
            return await send(file_id)
        async with self.upload_turn(key):
            file_id = self.file_id(key)
            if file_id is not None:
                return await send(file_id)
            sent = await send(await draw())
            if sent.file_id is not None:
                self.remember(key, sent.file_id)
            return sent

    async def render(
        self,
        schedule: QueueSchedule,
        today: date,
        tz: str,
        texts: Texts,
        region: str,
        queue: str,
        *,
        now: Span | None = None,
        status: DataStatus = DataStatus.FRESH,
        highlight: Mapping[date, Collection[Span]] | None = None,
    ) -> bytes:
        """The PNG of today and tomorrow; titles are given escaped and drawn as plain text;
        ``now`` and ``status`` as in :meth:`key`; ``highlight``: outages outlined as new or
        moved (the caller's key must tell them apart)."""
        return await asyncio.to_thread(
            self._renderer.schedule_png,
            schedule,
            today=today,
            zone=ZoneInfo(tz),
            texts=texts,
            region=unescape(region),
            queue=unescape(queue),
            now_slot=now,
            status=status,
            highlight=highlight,
        )
