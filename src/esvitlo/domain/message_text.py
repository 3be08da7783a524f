"""What every Telegram message here shares: Telegram's length limits and how it counts them,
cutting a message to fit at line boundaries, and local clock times.

Our markup never spans two lines, so :func:`fit` can cut at any line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from zoneinfo import ZoneInfo

from esvitlo.domain.texts import Texts

__all__ = ["CAPTION_LIMIT", "TEXT_LIMIT", "clock_text", "fit", "text_length"]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def text_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (tags included, to stay safe)."""
    return len(text.encode("utf-16-le")) // 2


def fit(lines: Sequence[str], texts: Texts, limit: int, footer: Sequence[str] = ()) -> str:
    """Join lines; when too long, drop whole lines from the end of the body, add an ellipsis
    line and keep the footer."""
    text = "\n".join([*lines, *footer])
    if text_length(text) <= limit:
        return text
    tail = [texts.truncated, *footer]
    budget = limit - text_length("\n".join(tail))
    if budget < 0:
        return fit([*lines, *footer], texts, limit) if footer else texts.truncated[:limit]
    kept: list[str] = []
    for line in lines:
        cost = text_length(line) + 1
        if cost > budget:
            break
        kept.append(line)
        budget -= cost
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join([*kept, *tail])


def clock_text(instant: datetime, zone: ZoneInfo, *, end: bool = False) -> str:
    """Local ``HH:MM``; an end at local midnight reads ``24:00``."""
    local = instant.astimezone(zone)
    if end and local.time() == time(0, 0):
        return "24:00"
    return local.strftime("%H:%M")
