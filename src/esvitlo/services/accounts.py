"""Users and their addresses (subscriptions): onboarding, renaming, removing, forgetting."""

from __future__ import annotations

from esvitlo.domain.accounts import (
    MAX_LABEL,
    DuplicateSubscription,
    Subscription,
    SubscriptionLimitReached,
    User,
    clean_label,
)
from esvitlo.domain.deep_links import DeepLink, LinkAction, parse_deep_link
from esvitlo.domain.model import normalize_queue
from esvitlo.domain.texts import BotTexts, bot_texts_for
from esvitlo.ports import Subscriptions, Users
from esvitlo.services.cluster_events import ClusterEvents

__all__ = [
    "MAX_LABEL",
    "AccountService",
    "AlreadySubscribed",
    "DeepLink",
    "LimitReached",
    "LinkAction",
    "clean_label",
    "parse_deep_link",
]


class LimitReached(Exception):
    """The user already has the maximum number of addresses."""


class AlreadySubscribed(Exception):
    """The user already follows this (region, queue)."""


def default_label_in(label: str, old: BotTexts, new: BotTexts) -> str | None:
    """A label the bot gave in the old language, in the new one; None for a user's own."""
    if label == old.default_label_first:
        return new.default_label_first
    head, _, tail = old.default_label_next.partition("{n}")
    if label.startswith(head) and label.endswith(tail):
        number = label[len(head) : len(label) - len(tail)]
        if number.isdigit():
            return new.default_label_next.format(n=int(number))
    return None


class AccountService:
    """Everything a user does to their own account."""

    def __init__(
        self,
        users: Users,
        subscriptions: Subscriptions,
        *,
        max_subscriptions: int = 5,
        events: ClusterEvents | None = None,
    ) -> None:
        self._users = users
        self._events = events
        self._subscriptions = subscriptions
        self.max_subscriptions = max_subscriptions

    async def user(self, telegram_id: int) -> User | None:
        """The stored user, or None for someone who never subscribed."""
        return await self._users.get_by_telegram_id(telegram_id)

    async def addresses(self, telegram_id: int) -> list[Subscription]:
        """The user's subscriptions in the order they were added."""
        user = await self._users.get_by_telegram_id(telegram_id)
        return await self._subscriptions.list_for_user(user.id) if user else []

    async def address(self, telegram_id: int, subscription_id: int) -> Subscription | None:
        """One of the user's own subscriptions (never someone else's)."""
        user = await self._users.get_by_telegram_id(telegram_id)
        return await self._subscriptions.get(subscription_id, user.id) if user else None

    async def subscribe(
        self, telegram_id: int, language: str, region: str, queue: str, label: str
    ) -> Subscription:
        """Create the user if needed and add a subscription, within the address limit (the
        store counts and inserts at once, so parallel requests cannot pass it)."""
        user = await self._users.get_or_create(telegram_id, language)
        if not user.active:
            await self._users.set_active(telegram_id, True)
        queue = normalize_queue(queue)
        try:
            return await self._subscriptions.add(
                user.id, region, queue, label, limit=self.max_subscriptions
            )
        except SubscriptionLimitReached:
            raise LimitReached from None
        except DuplicateSubscription:
            raise AlreadySubscribed from None

    async def rename(self, telegram_id: int, subscription_id: int, label: str) -> bool:
        """Rename one of the user's subscriptions; False when it is not theirs."""
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None or await self._subscriptions.get(subscription_id, user.id) is None:
            return False
        await self._subscriptions.rename(subscription_id, user.id, label)
        return True

    async def remove(self, telegram_id: int, subscription_id: int) -> bool:
        """Remove one of the user's subscriptions; False when it is not theirs."""
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None or await self._subscriptions.get(subscription_id, user.id) is None:
            return False
        await self._subscriptions.remove(subscription_id, user.id)
        return True

    async def set_language(self, telegram_id: int, language: str) -> None:
        """Remember the user's interface language; address names the bot gave ("Дім",
        "Адреса 2") follow it, names the user chose stay as they are."""
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            return
        await self._users.set_language(user.id, language)
        old, new = bot_texts_for(user.language), bot_texts_for(language)
        for sub in await self._subscriptions.list_for_user(user.id):
            label = default_label_in(sub.label, old, new)
            if label is not None and label != sub.label:
                await self._subscriptions.rename(sub.id, user.id, label)
        await self._changed(telegram_id)

    async def set_active(self, telegram_id: int, active: bool) -> None:
        """Mark a user as reachable or not (they blocked or unblocked the bot)."""
        await self._users.set_active(telegram_id, active)

    async def forget(self, telegram_id: int) -> bool:
        """Delete everything about the user; False when nothing was stored."""
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            return False
        await self._users.delete(user.id)
        await self._changed(telegram_id)
        return True

    async def _changed(self, telegram_id: int) -> None:
        if self._events is not None:
            await self._events.settings_changed(telegram_id)
