"""Housekeeping: channel health checks and retention of old rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from esvitlo.domain.channel_health import BotMembership, ChatLookup, CheckedChannel


class ChatInspector(Protocol):
    """Asks Telegram about a chat the bot publishes in; failures other than the chat's own
    state are SendFailed subclasses (RetryAfter, TemporaryFailure, ChatMigrated)."""

    async def lookup_chat(self, chat_id: int) -> ChatLookup:
        """What getChat says: the chat's type, or that it is not found or shut to the bot."""
        ...

    async def bot_membership(self, chat_id: int) -> BotMembership:
        """The bot's own membership and rights in the chat (getChatMember)."""
        ...


class ChannelHealthStore(Protocol):
    """The channels a health check visits, and lost ones made publishable again."""

    async def channels_to_check(self) -> list[CheckedChannel]:
        """Every known channel with its status, in a stable order (by chat id)."""
        ...

    async def mark_recovered(self, chat_id: int) -> bool:
        """Make a lost channel active again (pending when it publishes no address); False when
        it was not lost."""
        ...


class RetentionStore(Protocol):
    """Deletes what is old enough, in small batches of ``batch_size`` rows, each batch its own
    short transaction; every method returns the rows deleted."""

    async def prune_outbox(self, created_before: datetime, batch_size: int) -> int:
        """Delete settled messages (sent, dead, superseded, dropped) created before the cutoff;
        never a pending or sending one."""
        ...

    async def prune_schedule_days(self, before: date, batch_size: int) -> int:
        """Delete stored schedule days dated before ``before``."""
        ...

    async def prune_conversations(self, updated_before: datetime, batch_size: int) -> int:
        """Delete conversation state untouched since the cutoff."""
        ...
