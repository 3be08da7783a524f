"""Channel posts (pure): one post per changed queue, its caption and picture, post styles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from esvitlo.domain.accounts import POST_STYLES, PostMode, next_post_style
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import check_queue
from esvitlo.domain.channel_posts import (
    ChannelPost,
    PostOrder,
    SchedulePicture,
    channel_posts,
    picture_key,
)
from esvitlo.domain.delivery import PRIORITY_TODAY, PRIORITY_TOMORROW
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.domain.render import CAPTION_LIMIT, text_length
from esvitlo.services.schedule_photos import SchedulePhotos

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
TODAY = date(2025, 11, 20)
TOMORROW = TODAY + timedelta(days=1)
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)


def day(on: date, *spans: tuple[int, int]) -> DaySchedule:
    return DaySchedule(on, DayState.PUBLISHED, tuple(Span(a, b) for a, b in spans))


def posts_for(old: list[DaySchedule], new: list[DaySchedule]) -> list[ChannelPost]:
    stored = {d.date: d for d in old}
    schedule = QueueSchedule("3.1", None, tuple(new))
    checks = {"3.1": check_queue(stored, schedule, TODAY)}
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": schedule}, data_updated_at=NOW)
    return channel_posts(KYIV, snapshot, checks, NOW)


@pytest.mark.parametrize(
    ("old", "new", "header", "priority"),
    [
        (
            [day(TODAY, (600, 720))],
            [day(TODAY, (600, 780))],
            "🔄 <b>Змінився графік на сьогодні, четвер, 20 листопада</b>",
            PRIORITY_TODAY,
        ),
        (
            [day(TODAY, (600, 720))],
            [day(TODAY, (600, 720)), day(TOMORROW, (60, 120))],
            "📅 <b>Зʼявився графік на завтра, пʼятниця, 21 листопада</b>",
            PRIORITY_TOMORROW,
        ),
        (
            [day(TODAY, (600, 720))],
            [day(TODAY, (600, 780)), day(TOMORROW, (60, 120))],
            "🔄 <b>Оновлено графік на сьогодні й завтра</b>",
            PRIORITY_TODAY,
        ),
    ],
)
def test_one_post_per_changed_queue_under_a_one_line_header(
    old: list[DaySchedule], new: list[DaySchedule], header: str, priority: int
) -> None:
    [post] = posts_for(old, new)
    first, title = post.caption.split("\n")[:2]
    assert first == header
    assert title == "🗓 <b>Київ · Черга 3.1</b> — графік відключень"
    assert (post.priority, post.topic) == (priority, "channel:kyiv:3.1")
    assert [d.date for d in post.picture.schedule.days] == [d.date for d in new]


def test_no_post_without_a_change() -> None:
    assert posts_for([day(TODAY, (600, 720))], [day(TODAY, (600, 720))]) == []
    schedule = QueueSchedule("3.1", None, (day(TODAY, (600, 720)),))
    baseline = {"3.1": check_queue(None, schedule, TODAY)}  # first sight: nothing to tell
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": schedule})
    assert channel_posts(KYIV, snapshot, baseline, NOW) == []


def test_the_caption_fits_a_photo_caption() -> None:
    many = [(m, m + 20) for m in range(0, 1440, 30)]
    [post] = posts_for([day(TODAY)], [day(TODAY, *many), day(TOMORROW, *many)])
    assert text_length(post.caption) <= CAPTION_LIMIT
    assert post.caption.startswith("🔄 <b>Оновлено графік")


def test_a_post_order_survives_the_outbox_payload() -> None:
    [post] = posts_for([day(TODAY, (600, 720))], [day(TODAY, (600, 780)), day(TOMORROW, (60, 90))])
    for mode, delete in POST_STYLES:
        order = post.order(mode, delete)
        assert PostOrder.from_payload(order.payload()) == order
    assert post.order(PostMode.EDIT, True).delete_previous is False
    picture = post.picture
    assert SchedulePicture.from_json(picture.to_json()) == picture
    assert picture.key == SchedulePhotos.key("kyiv", picture.schedule, TODAY, "uk")
    assert picture.key == picture_key("kyiv", picture.schedule, TODAY, "uk")
    with pytest.raises(ValueError, match="not a channel post"):
        PostOrder.from_payload({"text": "hello"})


def test_the_key_follows_the_alerts_it_goes_with() -> None:
    [post] = posts_for([day(TODAY, (600, 720))], [day(TODAY, (600, 780))])
    assert post.key_prefix(["a:", "b:"]) == post.key_prefix(["b:", "a:"])
    assert post.key_prefix(["a:"]) != post.key_prefix(["b:"])
    assert post.key_prefix(["a:"]).startswith("channel:kyiv:3.1:")


def test_post_styles_cycle() -> None:
    style = (PostMode.NEW, False)
    seen = []
    for _ in range(len(POST_STYLES)):
        style = next_post_style(*style)
        seen.append(style)
    assert seen == [(PostMode.NEW, True), (PostMode.EDIT, False), (PostMode.NEW, False)]
    assert next_post_style(PostMode.EDIT, True) == (PostMode.NEW, False)  # delete ignored
