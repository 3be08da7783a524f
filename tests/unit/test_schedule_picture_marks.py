"""The schedule screen's picture: its key holds the half-hour "now" and the data's status, so
a picture is re-drawn when either changes and re-sent by file_id while neither does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.channel_posts import picture_key
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.texts import texts_for
from esvitlo.services.schedule_photos import SchedulePhotos, now_slot

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2025, 11, 20)
SCHEDULE = QueueSchedule("3.1", None, (DaySchedule(TODAY, DayState.PUBLISHED, (Span(480, 600),)),))


@pytest.mark.parametrize(
    ("utc", "slot"),
    [
        (datetime(2025, 11, 20, 10, 0, tzinfo=UTC), Span(720, 750)),  # 12:00 in Kyiv (UTC+2)
        (datetime(2025, 11, 20, 10, 29, 59, tzinfo=UTC), Span(720, 750)),
        (datetime(2025, 11, 20, 10, 30, tzinfo=UTC), Span(750, 780)),
        (datetime(2025, 11, 20, 21, 59, tzinfo=UTC), Span(1410, 1440)),  # 23:59
        (datetime(2025, 11, 20, 22, 0, tzinfo=UTC), Span(0, 30)),  # the next day's midnight
        (datetime(2025, 7, 1, 9, 45, tzinfo=UTC), Span(750, 780)),  # 12:45 in summer (UTC+3)
    ],
)
def test_now_falls_in_the_local_half_hour(utc: datetime, slot: Span):
    assert now_slot(utc, KYIV) == slot


def test_keys_differ_by_half_hour_and_status_and_keep_the_plain_key_for_posts():
    key = SchedulePhotos.key
    noon, later = Span(720, 750), Span(750, 780)
    plain = key("kyiv", SCHEDULE, TODAY, "uk")
    assert plain == picture_key("kyiv", SCHEDULE, TODAY, "uk")  # channel posts and alerts
    marked = {
        key("kyiv", SCHEDULE, TODAY, "uk", now=noon),
        key("kyiv", SCHEDULE, TODAY, "uk", now=later),
        key("kyiv", SCHEDULE, TODAY, "uk", now=noon, status=DataStatus.STALE),
        key("kyiv", SCHEDULE, TODAY, "uk", now=noon, status=DataStatus.SOURCE_ERROR),
        key("kyiv", SCHEDULE, TODAY, "uk", status=DataStatus.STALE),
    }
    assert len(marked | {plain}) == 6
    assert key("kyiv", SCHEDULE, TODAY, "uk", now=noon) == key(
        "kyiv", SCHEDULE, TODAY, "uk", now=Span(720, 750), status=DataStatus.FRESH
    )


class CountingRenderer:
    """Draws a picture whose bytes name what it was asked to mark."""

    def __init__(self) -> None:
        self.calls: list[tuple[Span | None, DataStatus]] = []

    def schedule_png(self, schedule, *, today, zone, texts, region, queue, **marks) -> bytes:
        self.calls.append((marks.get("now_slot"), marks.get("status", DataStatus.FRESH)))
        return repr(self.calls[-1]).encode()


async def test_render_hands_the_marks_to_the_renderer():
    renderer = CountingRenderer()
    photos = SchedulePhotos(renderer)
    noon = Span(720, 750)
    await photos.render(
        SCHEDULE, TODAY, "Europe/Kyiv", texts_for("uk"), "Київ", "3.1", now=noon,
        status=DataStatus.STALE,
    )  # fmt: skip
    await photos.render(SCHEDULE, TODAY, "Europe/Kyiv", texts_for("uk"), "Київ", "3.1")
    assert renderer.calls == [(noon, DataStatus.STALE), (None, DataStatus.FRESH)]
