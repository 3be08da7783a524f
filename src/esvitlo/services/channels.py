"""Users' Telegram channels: connecting, linking to an address, post style, pausing, losing
rights."""

from __future__ import annotations

from dataclasses import dataclass

from esvitlo.domain.accounts import Channel, ChannelStatus, Subscription, User, next_post_style
from esvitlo.ports import Channels, Subscriptions, Users


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

    async def bot_added(self, chat_id: int, title: str, added_by: int) -> User | None:
        """Record a channel the bot was made admin of; the owner, if they are our user."""
        owner = await self._users.get_by_telegram_id(added_by)
        if owner is None:
            return None
        await self._channels.add_pending(chat_id, owner.id, title)
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

    async def mark_lost(self, chat_id: int) -> None:
        """Stop publishing to a channel the bot can no longer post in."""
        await self._channels.set_status(chat_id, ChannelStatus.LOST)

    async def disconnect(self, owner_telegram_id: int, chat_id: int) -> bool:
        """Forget the caller's channel."""
        if await self.owned(owner_telegram_id, chat_id) is None:
            return False
        await self._channels.remove(chat_id)
        return True
