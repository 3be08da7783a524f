"""Messages between users and the operators, queued in the outbox like every other message:
a user's feedback to each admin, an admin's reply to a user, and error reports to the admins.

Every text a person typed is HTML-escaped here and cut to fit one Telegram message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape

from esvitlo.domain.direct_messages import DirectMessage
from esvitlo.domain.texts import BotTexts

FEEDBACK = "feedback"
FEEDBACK_REPLY = "feedback_reply"
ERROR_REPORT = "error_report"

PRIORITY_FEEDBACK_REPLY = 4
PRIORITY_FEEDBACK = 6
PRIORITY_ERROR_REPORT = 8

PAUSE_TEMPLATE = "template:"
PAUSE_TEMPLATES = ("maintenance", "update")
"""Pause notices every user reads in their own language: ``/pause`` or ``/pause update``."""

TYPED_LIMIT = 3000
"""Characters of a person's own text kept in a message (the templates add the rest)."""


@dataclass(frozen=True, slots=True)
class UserCard:
    """What an admin sees of one user: no names, no labels, only what the bot needs."""

    telegram_id: int
    language: str
    active: bool
    created_at: datetime
    addresses: tuple[tuple[str, str], ...]  # (region, queue)
    monitors: int
    channels: int
    pending: int


USER_LIST_LIMIT = 20
"""Users one ``/users`` answer lists, the newest first."""


@dataclass(frozen=True, slots=True)
class UserFilter:
    """Which users an admin lists: Telegram ids starting with digits, or a region's followers."""

    telegram_prefix: str | None = None
    region: str | None = None

    @classmethod
    def parse(cls, query: str) -> UserFilter:
        """Digits are the start of a Telegram id; anything else is a region id; empty: all."""
        query = query.strip()
        if not query:
            return cls()
        if query.isascii() and query.isdigit() and len(query) <= 20:
            return cls(telegram_prefix=query)
        return cls(region=query.lower())


@dataclass(frozen=True, slots=True)
class UserSummary:
    """One line of the admin's user list: no names, no labels."""

    telegram_id: int
    language: str
    active: bool
    addresses: int
    regions: tuple[str, ...]  # the distinct regions of the addresses, sorted


@dataclass(frozen=True, slots=True)
class UserList:
    """The newest users matching a filter, and how many match in all."""

    users: tuple[UserSummary, ...]
    total: int


def typed(text: str) -> str:
    """A person's text made safe for Telegram HTML and cut to ``TYPED_LIMIT`` characters."""
    text = text.strip()
    if len(text) > TYPED_LIMIT:
        text = text[: TYPED_LIMIT - 1] + "…"
    return escape(text)


def _stamp(at: datetime) -> str:
    return str(int(at.timestamp() * 1000))


def _text(chat_id: int, kind: str, topic: str, text: str, priority: int) -> DirectMessage:
    """A text for one chat, keyed by its topic and the chat."""
    return DirectMessage(chat_id, kind, topic, f"{topic}:{chat_id}", {"text": text}, priority)


def feedback_messages(
    admins: Mapping[int, BotTexts], user_id: int, name: str, text: str, at: datetime
) -> list[DirectMessage]:
    """The user's feedback to every admin, each in that admin's language."""
    topic = f"{FEEDBACK}:{user_id}:{_stamp(at)}"
    return [
        _text(
            admin, FEEDBACK, topic,
            ui.feedback_to_admin.format(user_id=user_id, name=typed(name), text=typed(text)),
            PRIORITY_FEEDBACK,
        )
        for admin, ui in sorted(admins.items())
    ]  # fmt: skip


def reply_message(
    ui: BotTexts, admin_id: int, user_id: int, text: str, at: datetime
) -> DirectMessage:
    """An admin's reply to a user, in the user's language."""
    topic = f"{FEEDBACK_REPLY}:{admin_id}:{_stamp(at)}"
    body = ui.reply_to_user.format(text=typed(text))
    return _text(user_id, FEEDBACK_REPLY, topic, body, PRIORITY_FEEDBACK_REPLY)


def error_report_messages(
    admins: Mapping[int, BotTexts], where: str, error: str, update: str, at: datetime
) -> list[DirectMessage]:
    """A report of a failed handler to every admin (no user data: where, what, which update)."""
    topic = f"{ERROR_REPORT}:{_stamp(at)}"
    return [
        _text(
            admin, ERROR_REPORT, topic,
            ui.error_report.format(where=typed(where), error=typed(error), update=typed(update)),
            PRIORITY_ERROR_REPORT,
        )
        for admin, ui in sorted(admins.items())
    ]  # fmt: skip


def pause_flag(args: str | None) -> str:
    """What ``/pause [args]`` stores: a template's name (none: maintenance), or the admin's
    own text, escaped."""
    text = (args or "").strip()
    name = text.casefold() or PAUSE_TEMPLATES[0]
    if name in PAUSE_TEMPLATES:
        return PAUSE_TEMPLATE + name
    return typed(text)


def pause_notice(flag: str, ui: BotTexts) -> str:
    """The pause notice a user reads: a template in their language, or the admin's text."""
    if not flag.startswith(PAUSE_TEMPLATE):
        return flag
    name = flag.removeprefix(PAUSE_TEMPLATE)
    return ui.paused_update if name == "update" else ui.paused_default
