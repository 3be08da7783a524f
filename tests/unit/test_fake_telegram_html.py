"""The fake Telegram's HTML check: entities in UTF-16 offsets, stripping, limits, errors."""

from __future__ import annotations

import pytest

from esvitlo.testing.fake_telegram.errors import ApiError
from esvitlo.testing.fake_telegram.html import format_text


@pytest.mark.parametrize(
    ("source", "text", "entities"),
    [
        ("<b>a</b>", "a", [("bold", 0, 1)]),
        ("💡 <i>світло</i>", "💡 світло", [("italic", 3, 6)]),
        ("  <b> x </b>\n", "x", [("bold", 0, 1)]),
        ("<b>a <i>b</i></b>", "a b", [("bold", 0, 3), ("italic", 2, 1)]),
        ("<b></b>x", "x", []),
        ("&lt;b&gt; &amp;amp; &#1028; &#x27; &nbsp;", "<b> &amp; Є ' &nbsp;", []),
        ("<b>x</>", "x", [("bold", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [("expandable_blockquote", 0, 1)]),
    ],
)
def test_entities_and_text(source, text, entities):
    formatted = format_text(source, "HTML")
    assert formatted.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in formatted.entities] == entities


@pytest.mark.parametrize(
    ("source", "description"),
    [
        ("<a href=https://x>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x"', "Unclosed start tag at byte offset 0"),
        ("<b =x>", 'Empty attribute name in the tag "b" at byte offset 0'),
        (
            "<b x>",
            'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0',
        ),
        ("ґ</b", "Unexpected end tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ],
)
def test_parse_errors(source, description):
    with pytest.raises(ApiError) as caught:
        format_text(source, "HTML")
    assert caught.value.status == 400
    assert caught.value.description == f"Bad Request: can't parse entities: {description}"


def test_plain_text_is_not_parsed():
    assert format_text("<p> & </p>", None).text == "<p> & </p>"


@pytest.mark.parametrize(("caption", "limit"), [(False, 4096), (True, 1024)])
def test_limits_are_in_characters(caption, limit):
    assert format_text("ї" * limit, None, caption=caption).text == "ї" * limit
    with pytest.raises(ApiError, match="too long"):
        format_text("ї" * (limit + 1), None, caption=caption)


def test_empty_caption_is_fine_but_empty_text_is_not():
    assert format_text(None, "HTML", caption=True).text == ""
    with pytest.raises(ApiError, match="message text is empty"):
        format_text(None, "HTML")
