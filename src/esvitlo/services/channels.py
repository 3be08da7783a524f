"""Users' Telegram channels and groups: connecting, linking to an address, the forum topic,
post and caption style, pausing, losing rights, following a group that became a supergroup."""

from __future__ import annotations

from dataclasses import dataclass

from esvitlo.domain.accounts import (
    CaptionStyle,
    Channel,
    ChannelStatus,
    ChatKind,
    Subscription,
    User,
    next_post_style,
)
from esvitlo.domain.channel_captions import CaptionParts, TemplateProblem, check_template
from esvitlo.ports import Channels, Subscriptions, Users

_DEFAULT_TEMPLATE = "{changes}\n{schedule}"
"""The default caption as a template (what a post shows without one)."""


@dataclass(frozen=True, slots=True)
class OwnedChannel:
    """A channel with the address it publishes (None until linked)."""

    channel: Channel
    subscription: Subscription | None


class ChannelService:
    """Channel lifecycle; every operation checks that the caller owns the channel."""

    def __init__(self, users: Users, subscriptions: Subscriptions, channels: Channels) -> None:
        self._users = users
        self._subscriptions = subscriptions
        self._channels = channels

    async def bot_added(
        self, chat_id: int, title: str, added_by: int, kind: ChatKind = ChatKind.CHANNEL
    ) -> User | None:
        """Record a channel the bot was made admin of (or a group it was added to by an admin);
        the owner, if they are our user."""
        owner = await self._users.get_by_telegram_id(added_by)
        if owner is None:
            return None
        await self._channels.add_pending(chat_id, owner.id, title, kind)
        return owner

    async def bot_lost(self, chat_id: int) -> tuple[Channel, User] | None:
        """Mark a channel lost; returns it and its owner only when this is news.

        A channel that was already lost (or never known) yields None, so the owner is told
        once, and again only after it was fixed and broke anew.
        """
        channel = await self._channels.get_by_chat_id(chat_id)
        if channel is None or channel.status is ChannelStatus.LOST:
            return None
        await self._channels.set_status(chat_id, ChannelStatus.LOST)
        owner = await self._users.get(channel.owner_user_id)
        if owner is None or channel.status is ChannelStatus.PENDING:
            return None
        return channel, owner

    async def is_known(self, chat_id: int) -> bool:
        """Whether the bot was ever connected to this chat (any owner, any status)."""
        return await self._channels.get_by_chat_id(chat_id) is not None

    async def owned(self, owner_telegram_id: int, chat_id: int) -> OwnedChannel | None:
        """The caller's channel with its linked address, or None when it is not theirs."""
        owner = await self._users.get_by_telegram_id(owner_telegram_id)
        channel = await self._channels.get_by_chat_id(chat_id)
        if owner is None or channel is None or channel.owner_user_id != owner.id:
            return None
        subscription = None
        if channel.subscription_id is not None:
            subscription = await self._subscriptions.get(channel.subscription_id, owner.id)
        return OwnedChannel(channel, subscription)

    async def list(self, owner_telegram_id: int) -> list[OwnedChannel]:
        """All of the caller's channels."""
        owner = await self._users.get_by_telegram_id(owner_telegram_id)
        if owner is None:
            return []
        result = []
        for channel in await self._channels.list_for_owner(owner.id):
            owned = await self.owned(owner_telegram_id, channel.chat_id)
            if owned is not None:
                result.append(owned)
        return result

    async def link(self, owner_telegram_id: int, chat_id: int, subscription_id: int) -> bool:
        """Publish one of the caller's addresses in their channel and activate it."""
        owned = await self.owned(owner_telegram_id, chat_id)
        owner = await self._users.get_by_telegram_id(owner_telegram_id)
        if owned is None or owner is None:
            return False
        if await self._subscriptions.get(subscription_id, owner.id) is None:
            return False
        await self._channels.link(chat_id, subscription_id)
        await self._channels.set_status(chat_id, ChannelStatus.ACTIVE)
        return True

    async def set_paused(self, owner_telegram_id: int, chat_id: int, paused: bool) -> bool:
        """Pause or resume publishing to an active channel."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None or owned.channel.status not in (
            ChannelStatus.ACTIVE,
            ChannelStatus.PAUSED,
        ):
            return False
        status = ChannelStatus.PAUSED if paused else ChannelStatus.ACTIVE
        await self._channels.set_status(chat_id, status)
        return True

    async def next_post_style(self, owner_telegram_id: int, chat_id: int) -> Channel | None:
        """Switch the caller's channel to the next post style (new post, new post deleting
        the previous one, previous post edited); the channel as it is now, or None."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None:
            return None
        channel = owned.channel
        mode, delete = next_post_style(channel.post_mode, channel.delete_previous)
        await self._channels.set_post_style(chat_id, mode, delete)
        return await self._channels.get_by_chat_id(chat_id)

    async def set_thread(
        self, owner_telegram_id: int, chat_id: int, thread_id: int | None
    ) -> Channel | None:
        """Post into this forum topic of the caller's group (None: General); the group as it
        is now, or None when it is not the caller's group."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None or not owned.channel.kind.is_group:
            return None
        await self._channels.set_thread(chat_id, thread_id)
        return await self._channels.get_by_chat_id(chat_id)

    async def next_caption_style(self, owner_telegram_id: int, chat_id: int) -> Channel | None:
        """Switch between the full caption and a picture with a one-line title; the channel
        as it is now, or None."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None:
            return None
        channel = owned.channel
        full = channel.caption_style is CaptionStyle.FULL
        style = CaptionStyle.PICTURE if full else CaptionStyle.FULL
        await self._channels.set_caption(chat_id, style, channel.caption_template)
        return await self._channels.get_by_chat_id(chat_id)

    async def toggle_post_buttons(self, owner_telegram_id: int, chat_id: int) -> Channel | None:
        """Switch the timer and today links under the posts on or off; the channel as it is
        now, or None when it is not the caller's."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None:
            return None
        await self._channels.set_post_buttons(chat_id, not owned.channel.post_buttons)
        return await self._channels.get_by_chat_id(chat_id)

    async def set_caption_template(
        self, owner_telegram_id: int, chat_id: int, template: str | None, parts: CaptionParts
    ) -> str | TemplateProblem | None:
        """Use the owner's caption template (None: back to the default caption), checked with
        ``parts``: the caption it makes (a preview), why it is refused (nothing changes), or
        None when the channel is not the caller's."""
        owned = await self.owned(owner_telegram_id, chat_id)
        if owned is None:
            return None
        if template is None:
            preview = check_template(_DEFAULT_TEMPLATE, parts)
        else:
            preview = check_template(template, parts)
            if isinstance(preview, TemplateProblem):
                return preview
        await self._channels.set_caption(chat_id, owned.channel.caption_style, template)
        return preview

    async def follow_migration(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: keep publishing there; whether a group moved."""
        return await self._channels.follow_migration(old_chat_id, new_chat_id)

    async def mark_lost(self, chat_id: int) -> None:
        """Stop publishing to a channel the bot can no longer post in."""
        await self._channels.set_status(chat_id, ChannelStatus.LOST)

    async def disconnect(self, owner_telegram_id: int, chat_id: int) -> bool:
        """Forget the caller's channel."""
        if await self.owned(owner_telegram_id, chat_id) is None:
            return False
        await self._channels.remove(chat_id)
        return True
