"""Marks drawn over a schedule image: the half-hour "now" on today's bar, and a badge by the
title when the data may be outdated."""

from __future__ import annotations

from PIL import ImageDraw

from esvitlo.adapters.chart_fonts import load_font

Colour = tuple[int, int, int]

NOW: Colour = (25, 118, 210)  # as today's frame and line in the weekly power chart
NOW_WIDTH = 3
NOW_OVERHANG = 5  # the outline reaches this far above and below the bar
STALE: Colour = (230, 81, 0)  # the badge of outdated data, white text on it
BADGE_TEXT: Colour = (255, 255, 255)
BADGE_PADDING = 10


def outline_now(draw: ImageDraw.ImageDraw, left: int, right: int, top: int, height: int) -> None:
    """Outline the cell ``[left, right)`` of a bar, a little taller than the bar."""
    box = [left, top - NOW_OVERHANG, right - 1, top + height - 1 + NOW_OVERHANG]
    draw.rectangle(box, outline=NOW, width=NOW_WIDTH)


def draw_badge(draw: ImageDraw.ImageDraw, text: str, right: int, top: int, height: int) -> int:
    """A rounded badge ending at ``right``; its width."""
    font = load_font(16, True)
    width = round(font.getlength(text)) + 2 * BADGE_PADDING
    box = (right - width, top, right, top + height)
    draw.rounded_rectangle(box, radius=8, fill=STALE)
    centre = (right - width // 2, top + height // 2)
    draw.text(centre, text, font=font, fill=BADGE_TEXT, anchor="mm")
    return width
