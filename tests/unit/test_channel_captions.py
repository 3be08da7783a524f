"""Channel captions (pure): the owner's template checked, escaped, filled and cut to fit; the
picture-only title; the parts carried in a post's payload."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.accounts import CaptionStyle, PostMode
from esvitlo.domain.catalogue import Region
from esvitlo.domain.channel_captions import (
    CaptionParts,
    TemplateProblem,
    TemplateRefusal,
    check_template,
    parse_template,
    templated_caption,
    updated_text,
)
from esvitlo.domain.channel_posts import PostOrder, current_post
from esvitlo.domain.model import DataStatus, DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.render import CAPTION_LIMIT, text_length
from esvitlo.domain.texts import texts_for

UK = texts_for("uk")
KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
NOW = datetime(2025, 11, 20, 10, 0, tzinfo=UTC)
PARTS = CaptionParts(
    region="Київ",
    queue="Черга 3.1",
    changes="🔄 <b>Змінився графік</b>",
    schedule="<b>Сьогодні</b>\n08:00–10:00\n14:00–16:00",
    updated="20 листопада, 12:00",
)


@pytest.mark.parametrize(
    ("template", "refusal", "detail"),
    [
        ("", TemplateRefusal.EMPTY, ""),
        ("  \n ", TemplateRefusal.EMPTY, ""),
        ("{queue", TemplateRefusal.MALFORMED, ""),
        ("queue}", TemplateRefusal.MALFORMED, ""),
        ("{queue:>9}", TemplateRefusal.MALFORMED, "queue"),
        ("{queue!r}", TemplateRefusal.MALFORMED, "queue"),
        ("{label}", TemplateRefusal.UNKNOWN, "label"),
        ("{}", TemplateRefusal.UNKNOWN, ""),
        ("x" * (CAPTION_LIMIT + 1), TemplateRefusal.TOO_LONG, str(CAPTION_LIMIT + 1)),
    ],
)
def test_a_template_that_cannot_work_is_refused_with_the_reason(template, refusal, detail):
    assert parse_template(template) == TemplateProblem(refusal, detail)


def test_the_owners_text_is_escaped_and_the_placeholders_are_filled_with_html():
    template = "<b>Світло</b> & {{дім}}: {queue}, {region}\n{changes}\n{schedule}\n{updated}"
    assert check_template(template, PARTS) == (
        "&lt;b&gt;Світло&lt;/b&gt; &amp; {дім}: Черга 3.1, Київ\n"
        "🔄 <b>Змінився графік</b>\n<b>Сьогодні</b>\n08:00–10:00\n14:00–16:00\n"
        "20 листопада, 12:00"
    )


def test_a_template_too_long_with_the_schedule_of_now_is_refused_with_its_length():
    template = "ж" * 1000 + "{schedule}"
    problem = check_template(template, PARTS)
    length = 1000 + text_length(PARTS.schedule)
    assert problem == TemplateProblem(TemplateRefusal.TOO_LONG, str(length))
    assert isinstance(check_template("ж" * 900 + "{schedule}", PARTS), str)


def test_a_later_longer_schedule_is_cut_at_a_line_to_fit_the_caption():
    long = CaptionParts(**{**PARTS.to_json(), "schedule": "\n".join(["08:00–10:00"] * 200)})
    caption = templated_caption("Графік:\n{schedule}", long, UK)
    assert caption is not None and text_length(caption) <= CAPTION_LIMIT
    assert caption.startswith("Графік:\n08:00–10:00\n") and caption.endswith(UK.truncated)


def test_a_caption_that_cannot_fit_falls_back_to_the_default():
    long = CaptionParts(**{**PARTS.to_json(), "queue": "Ч" * CAPTION_LIMIT})
    order = _order(parts=long)
    assert templated_caption("{queue}!", long, UK) is None
    assert order.caption_for(CaptionStyle.FULL, "{queue}!") == order.caption


def _order(parts: CaptionParts | None = PARTS) -> PostOrder:
    schedule = QueueSchedule("3.1", None, (DaySchedule(date(2025, 11, 20), DayState.PUBLISHED,
                                                        (Span(480, 600),)),))  # fmt: skip
    post = current_post(
        KYIV, schedule, header="<b>Тест</b>", updated_at=NOW, status=DataStatus.FRESH, now=NOW
    )
    order = post.order(PostMode.NEW, False)
    return order if parts is PARTS else PostOrder(order.caption, order.picture, parts=parts)


def test_a_post_carries_its_parts_and_each_caption_style_reads_them():
    order = _order()
    assert order.parts is not None
    assert order.parts.queue == "Черга 3.1" and order.parts.changes == "<b>Тест</b>"
    assert order.parts.updated == updated_text(NOW, ZoneInfo(KYIV.tz), UK) == "20 листопада о 12:00"
    again = PostOrder.from_payload(order.payload())
    assert again == order
    assert again.caption_for(CaptionStyle.FULL, None) == order.caption
    assert again.caption_for(CaptionStyle.PICTURE, "{queue}") == "<b>Черга 3.1</b> · Київ"
    assert again.caption_for(CaptionStyle.FULL, "{queue} — {region}") == "Черга 3.1 — Київ"


def test_a_post_planned_before_templates_existed_keeps_its_caption():
    payload = _order().payload()
    del payload["parts"]
    old = PostOrder.from_payload(payload)
    assert old.parts is None
    assert old.caption_for(CaptionStyle.FULL, "{queue}") == old.caption
    assert old.caption_for(CaptionStyle.PICTURE, None) == "<b>Черга 3.1</b> · Київ"
