"""A schedule change alert as one recipient gets it: the picture, the text as its caption and
the schedule screen's buttons.

The picture is the queue's today and tomorrow, drawn once per key and re-sent by Telegram's
file_id, with the outages the text marks 🆕 outlined; the outlined outages are part of the
key, so pictures with and without them are never mixed up. The buttons open the timer and
the schedule of the recipient's own address (callback data of the bot's ``Address`` button
with the subscription id, which the planning writes into each recipient's payload as
``sub``) and the settings; they are made when the message is sent, from ``lang`` and ``sub``,
so that a payload stays small (one row per recipient).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from esvitlo.domain.buttons import NO_BUTTONS, Button, Keyboard
from esvitlo.domain.channel_posts import SchedulePicture
from esvitlo.domain.model import Span
from esvitlo.domain.texts import bot_texts_for

Highlight = Mapping[date, tuple[Span, ...]]
"""Per day, the outages outlined as new or moved."""


def alert_keyboard(language: str, subscription_id: int) -> Keyboard:
    """Timer and schedule of the recipient's address (``ad:<action>:<sub>``, as the bot's
    ``Address`` callback packs them), and the settings (``n:settings``)."""
    ui = bot_texts_for(language)
    return (
        (
            Button(ui.btn_timer, data=f"ad:timer:{subscription_id}"),
            Button(ui.btn_schedule, data=f"ad:schedule:{subscription_id}"),
        ),
        (Button(ui.btn_settings, data="n:settings"),),
    )


def _spans_json(spans: Sequence[Span]) -> list[list[int]]:
    return [[span.start, span.end] for span in spans]


@dataclass(frozen=True, slots=True)
class AlertPicture:
    """A schedule picture with some outages outlined as new or moved."""

    picture: SchedulePicture
    highlight: Highlight = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The picture's key, plus the outlined outages when there are any."""
        marks = ";".join(
            f"{on.isoformat()}=" + ",".join(f"{s.start}-{s.end}" for s in sorted(spans))
            for on, spans in sorted(self.highlight.items())
            if spans
        )
        return f"{self.picture.key}|new:{marks}" if marks else self.picture.key

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form."""
        new = {on.isoformat(): _spans_json(spans) for on, spans in self.highlight.items()}
        return {**self.picture.to_json(), "new": new, "key": self.key}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AlertPicture:
        """The picture of :meth:`to_json`; KeyError, TypeError or ValueError when malformed."""
        new = data.get("new") or {}
        highlight = {
            date.fromisoformat(on): tuple(Span(int(a), int(b)) for a, b in spans)
            for on, spans in new.items()
        }
        return cls(SchedulePicture.from_json(data), highlight)


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """What the sender reads from a ``schedule_change`` row: a text (the caption when there
    is a picture), maybe a picture, and the buttons' language and subscription."""

    text: str
    picture: AlertPicture | None = None
    language: str | None = None  # None: no buttons (a row planned before they existed)
    subscription_id: int | None = None  # written in per recipient by the planning

    @property
    def keyboard(self) -> Keyboard:
        """The buttons under the message (none without a language and a subscription)."""
        if self.language is None or self.subscription_id is None:
            return NO_BUTTONS
        return alert_keyboard(self.language, self.subscription_id)

    def payload(self) -> dict[str, Any]:
        """The outbox payload (JSON-ready); the planning adds ``sub`` per recipient."""
        payload: dict[str, Any] = {"text": self.text}
        if self.picture is not None:
            payload["photo"] = self.picture.to_json()
        if self.language is not None:
            payload["lang"] = self.language
        if self.subscription_id is not None:
            payload["sub"] = self.subscription_id
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AlertMessage:
        """The message in an outbox payload (an old one is a text only); ValueError when it
        is not one."""
        text = payload.get("text")
        if not isinstance(text, str):
            raise ValueError("payload has no text")
        try:
            photo = payload.get("photo")
            picture = AlertPicture.from_json(photo) if photo is not None else None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not a schedule picture: {exc!r}") from exc
        language, sub = payload.get("lang"), payload.get("sub")
        return cls(
            text,
            picture,
            language if isinstance(language, str) else None,
            sub if isinstance(sub, int) and not isinstance(sub, bool) else None,
        )
