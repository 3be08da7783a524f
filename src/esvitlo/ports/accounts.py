"""Account storage: users, their subscriptions, settings, channels, dialogue state, flags
and admin numbers; one implementation per backend (adapters.sql), one contract suite."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from esvitlo.domain.accounts import (
    AdminStats,
    CaptionStyle,
    Channel,
    ChannelStatus,
    ChatKind,
    NotificationSettings,
    PostMode,
    Subscription,
    User,
)
from esvitlo.domain.admin_messages import UserCard, UserFilter, UserList


class Users(Protocol):
    """Telegram users of the bot."""

    async def get_or_create(self, telegram_id: int, language: str) -> User:
        """The user with this Telegram id, created (active, with ``language``) if new."""
        ...

    async def get(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id, or None."""
        ...

    async def set_language(self, user_id: int, language: str) -> None:
        """Change a user's interface language."""
        ...

    async def set_active(self, telegram_id: int, active: bool) -> None:
        """Mark a user active again, or inactive after they blocked the bot."""
        ...

    async def delete(self, user_id: int) -> bool:
        """Forget a user and everything about them; False when there was no such user."""
        ...


class Subscriptions(Protocol):
    """The (region, queue) pairs users follow."""

    async def add(
        self, user_id: int, region: str, queue: str, label: str, *, limit: int | None = None
    ) -> Subscription:
        """Follow a queue; raise DuplicateSubscription when the user already follows it, and
        SubscriptionLimitReached when they already follow ``limit`` queues (counted and
        inserted atomically: parallel calls never pass the limit)."""
        ...

    async def list_for_user(self, user_id: int) -> list[Subscription]:
        """A user's subscriptions, oldest first."""
        ...

    async def get(self, sub_id: int, user_id: int) -> Subscription | None:
        """One of the user's subscriptions, or None (also when it belongs to someone else)."""
        ...

    async def rename(self, sub_id: int, user_id: int, label: str) -> bool:
        """Change a subscription's label; False when the user has no such subscription."""
        ...

    async def remove(self, sub_id: int, user_id: int) -> bool:
        """Stop following; False when the user has no such subscription."""
        ...

    async def count_for_user(self, user_id: int) -> int:
        """How many queues a user follows."""
        ...

    async def subscriber_chat_ids(self, region: str, queue: str) -> list[int]:
        """Telegram ids of the active users following a (region, queue)."""
        ...


class NotificationPrefs(Protocol):
    """Per-user notification settings."""

    async def get(self, user_id: int) -> NotificationSettings:
        """A user's settings; the defaults when never saved."""
        ...

    async def save(self, settings: NotificationSettings) -> None:
        """Store a user's settings, replacing the previous ones."""
        ...


class Channels(Protocol):
    """Telegram channels users let the bot publish into, identified by chat id."""

    async def add_pending(
        self, chat_id: int, owner_user_id: int, title: str, kind: ChatKind = ChatKind.CHANNEL
    ) -> Channel:
        """Register a channel (or group) awaiting setup, or reset a known one to pending for
        this owner."""
        ...

    async def get_by_chat_id(self, chat_id: int) -> Channel | None:
        """The channel with this chat id, or None."""
        ...

    async def list_for_owner(self, owner_user_id: int) -> list[Channel]:
        """A user's channels, oldest first."""
        ...

    async def set_status(self, chat_id: int, status: ChannelStatus) -> None:
        """Change a channel's status."""
        ...

    async def link(self, chat_id: int, subscription_id: int | None) -> bool:
        """Publish a subscription of the owner (None: none); False when not the owner's."""
        ...

    async def set_last_post(self, chat_id: int, message_id: int | None) -> None:
        """Remember the id of the bot's latest post in the channel."""
        ...

    async def set_post_style(self, chat_id: int, mode: PostMode, delete_previous: bool) -> None:
        """How new schedules reach the channel: a new post (deleting the previous one or
        not) or the previous post edited."""
        ...

    async def set_thread(self, chat_id: int, thread_id: int | None) -> None:
        """The forum topic posts go to (None: the General topic, or no topics)."""
        ...

    async def set_caption(self, chat_id: int, style: CaptionStyle, template: str | None) -> None:
        """The caption style and the owner's template (None: the default caption)."""
        ...

    async def set_post_buttons(self, chat_id: int, on: bool) -> None:
        """Whether posts carry the timer and today links."""
        ...

    async def follow_migration(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its row takes the new id; whether it moved."""
        ...

    async def remove(self, chat_id: int) -> bool:
        """Forget a channel; False when it was not known."""
        ...


class ConversationStore(Protocol):
    """Dialogue state and data per conversation key (see domain.accounts.conversation_key)."""

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        """The state and data of a conversation; ``(None, {})`` when there is none."""
        ...

    async def set_state(self, key: str, state: str | None) -> None:
        """Set (None: clear) the state, keeping the data."""
        ...

    async def set_data(self, key: str, data: Mapping[str, Any]) -> None:
        """Replace the data, keeping the state."""
        ...

    async def clear(self, key: str) -> None:
        """Forget the conversation's state and data."""
        ...

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Forget conversations untouched since ``cutoff``; the number forgotten."""
        ...


class AppFlags(Protocol):
    """Named service-wide switches and texts, such as pause mode and its message."""

    async def get(self, name: str) -> str | None:
        """A flag's value, or None when unset."""
        ...

    async def set(self, name: str, value: str | None) -> None:
        """Set a flag; None unsets it."""
        ...


class FlagNames(Protocol):
    """The names of the set flags that begin with a prefix (per-channel opt-ins, say)."""

    async def names(self, prefix: str) -> list[str]:
        """Every set flag name starting with ``prefix``, sorted."""
        ...


class AdminQueries(Protocol):
    """Read-only numbers for the admin panel."""

    async def stats(self) -> AdminStats:
        """Head counts of users, subscriptions per region, channels and the outbox."""
        ...

    async def user_card(self, telegram_id: int) -> UserCard | None:
        """One user's language, state, addresses and counts; None when unknown."""
        ...

    async def users(self, wanted: UserFilter, limit: int) -> UserList:
        """The newest ``limit`` users matching ``wanted`` and how many match in all."""
        ...
