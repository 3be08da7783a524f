"""Schedule images: rendered once per distinct schedule, then re-sent by Telegram file_id."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from datetime import date
from html import unescape
from zoneinfo import ZoneInfo

from esvitlo.domain.channel_posts import picture_key
from esvitlo.domain.model import QueueSchedule
from esvitlo.domain.texts import Texts
from esvitlo.ports import ChartRenderer


class SchedulePhotos:
    """Renders schedule PNGs off the event loop and remembers Telegram's file ids."""

    def __init__(self, renderer: ChartRenderer, size: int = 4096) -> None:
        self._renderer = renderer
        self._size = size
        self._file_ids: OrderedDict[str, str] = OrderedDict()

    @staticmethod
    def key(region: str, schedule: QueueSchedule, today: date, lang: str) -> str:
        """Identifies one picture: region, queue, date, each day's fingerprint, language."""
        return picture_key(region, schedule, today, lang)

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

    async def render(
        self, schedule: QueueSchedule, today: date, tz: str, texts: Texts, region: str, queue: str
    ) -> bytes:
        """The PNG of today and tomorrow; titles are given escaped and drawn as plain text."""
        return await asyncio.to_thread(
            self._renderer.schedule_png,
            schedule,
            today=today,
            zone=ZoneInfo(tz),
            texts=texts,
            region=unescape(region),
            queue=unescape(queue),
        )
