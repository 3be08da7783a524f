"""Telegram HTML as terminal text: tags dropped, entities decoded; bold and italics become
ANSI styles when the output is a colour terminal."""

from __future__ import annotations

import os
import re
from html import unescape
from typing import TextIO

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>")
_STYLES = {
    "b": ("\x1b[1m", "\x1b[22m"),
    "strong": ("\x1b[1m", "\x1b[22m"),
    "i": ("\x1b[3m", "\x1b[23m"),
    "em": ("\x1b[3m", "\x1b[23m"),
}


def terminal_text(html: str, *, color: bool = False) -> str:
    """The text of a Telegram HTML message for a terminal (``color``: bold and italics kept)."""

    def replace(match: re.Match[str]) -> str:
        style = _STYLES.get(match.group(2).lower()) if color else None
        if style is None:
            return ""
        return style[1] if match.group(1) else style[0]

    return unescape(_TAG.sub(replace, html))


def wants_color(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal that takes colour (no ``NO_COLOR``, not ``dumb``)."""
    isatty = getattr(stream, "isatty", None)
    if isatty is None or not isatty():
        return False
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
