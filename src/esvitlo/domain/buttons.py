"""Inline buttons under a message, as plain values an outbox payload can carry.

A button opens a link (``url``: a deep link into the bot, a page) or presses back to the
bot (``data``: callback data of the bot's own buttons). The Telegram adapter turns a
``Keyboard`` into Telegram's inline keyboard; nothing here knows Telegram's types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button: exactly one of ``url`` and ``data`` is set."""

    text: str
    url: str | None = None
    data: str | None = None

    def __post_init__(self) -> None:
        if (self.url is None) == (self.data is None):
            raise ValueError("a button has either a url or callback data")

    def to_json(self) -> dict[str, str]:
        """``{"text", "url"}`` or ``{"text", "data"}``."""
        key, value = ("url", self.url) if self.url is not None else ("data", self.data)
        return {"text": self.text, key: str(value)}


Keyboard = tuple[tuple[Button, ...], ...]
"""Rows of buttons."""

NO_BUTTONS: Keyboard = ()


def keyboard_to_json(keyboard: Keyboard) -> list[list[dict[str, str]]]:
    """A JSON-ready form of a keyboard (for outbox payloads)."""
    return [[button.to_json() for button in row] for row in keyboard]


def keyboard_from_json(rows: Any) -> Keyboard:
    """The keyboard of :func:`keyboard_to_json`; ValueError when malformed (None: none)."""
    if rows is None:
        return NO_BUTTONS
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise ValueError("a keyboard is a list of rows")
    try:
        return tuple(
            tuple(Button(str(b["text"]), b.get("url"), b.get("data")) for b in row) for row in rows
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a keyboard: {exc!r}") from exc
