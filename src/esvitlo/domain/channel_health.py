"""Whether the bot can still publish in a channel, judged from what Telegram says about it.

A check asks for the chat (getChat) and for the bot's own membership (getChatMember); the
verdict below turns those facts into one of four answers. Pure: the caller asks Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from esvitlo.domain.accounts import ChannelStatus


class ChannelHealth(StrEnum):
    """A channel's verdict: publishable, the bot without posting rights, removed, or gone."""

    HEALTHY = "healthy"
    NO_RIGHTS = "no_rights"
    REMOVED = "removed"
    GONE = "gone"

    @property
    def reachable(self) -> bool:
        """Whether the bot may publish there."""
        return self is ChannelHealth.HEALTHY


@dataclass(frozen=True, slots=True)
class ChatLookup:
    """What getChat answered: the chat's type, or that it is unknown or shut to the bot."""

    found: bool
    kind: str | None = None  # "channel", "group", "supergroup"
    bot_shut_out: bool = False  # answered 403: the bot was kicked or is not a member


CHAT_NOT_FOUND = ChatLookup(found=False)
SHUT_OUT = ChatLookup(found=True, bot_shut_out=True)


@dataclass(frozen=True, slots=True)
class BotMembership:
    """The bot's own ChatMember: its status and the rights that matter for publishing."""

    status: str  # creator, administrator, member, restricted, left, kicked
    can_post_messages: bool = False
    can_send_messages: bool = True  # false only for a restricted member of a group


_OUTSIDE = frozenset({"left", "kicked"})
_GROUP_WRITERS = frozenset({"creator", "administrator", "member"})


def channel_verdict(chat: ChatLookup, member: BotMembership | None) -> ChannelHealth:
    """The verdict for a chat: a channel needs the bot as creator or an administrator allowed to
    post; a group needs it as a member allowed to write. ``member`` None: not asked (the chat
    was not found or shut the bot out)."""
    if not chat.found:
        return ChannelHealth.GONE
    if chat.bot_shut_out or member is None or member.status in _OUTSIDE:
        return ChannelHealth.REMOVED
    if member.status == "creator":
        return ChannelHealth.HEALTHY
    if chat.kind == "channel":
        posting = member.status == "administrator" and member.can_post_messages
        return ChannelHealth.HEALTHY if posting else ChannelHealth.NO_RIGHTS
    writing = member.status in _GROUP_WRITERS or (
        member.status == "restricted" and member.can_send_messages
    )
    return ChannelHealth.HEALTHY if writing else ChannelHealth.NO_RIGHTS


@dataclass(frozen=True, slots=True)
class CheckedChannel:
    """A channel due for a check: its chat id, its status, and whether it publishes an address."""

    chat_id: int
    status: ChannelStatus
    linked: bool


def recovered_status(linked: bool) -> ChannelStatus:
    """The status a lost channel returns to once the bot may publish again: active when it is
    linked to an address, otherwise pending (awaiting setup)."""
    return ChannelStatus.ACTIVE if linked else ChannelStatus.PENDING
