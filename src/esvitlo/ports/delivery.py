"""Delivery: the outbox as a work queue, reminders in it, the Telegram edge with its failures,
and the send budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from esvitlo.domain.buttons import NO_BUTTONS, Keyboard
from esvitlo.domain.delivery import OutboxMessage
from esvitlo.domain.direct_messages import DirectMessage
from esvitlo.domain.reminder_alerts import Lead, QueueReminders


class Outbox(Protocol):
    """Messages waiting to be delivered, written in the transaction that causes them."""

    async def enqueue_broadcast(
        self, text: str, created_at: datetime, broadcast_id: str | None = None
    ) -> int:
        """Queue ``text`` once per active user and broadcast; the rows added.

        ``broadcast_id`` defaults to a hash of ``created_at`` and ``text``, so a retried call
        adds nothing.
        """
        ...

    async def enqueue_direct(self, messages: Sequence[DirectMessage], now: datetime) -> int:
        """Queue messages to single chats, due at ``now``; a key already queued adds nothing.
        The rows added."""
        ...

    async def pending_count(self) -> int:
        """How many messages wait to be sent."""
        ...


class DeliveryQueue(Protocol):
    """The outbox seen by senders: claim due messages, then record what became of each."""

    async def claim(self, limit: int, now: datetime, lease: timedelta) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages, most urgent first, marking them as being sent.

        Messages claimed more than ``lease`` ago and never settled (their sender died) are
        due again. Two senders never claim the same message within a lease.
        """
        ...

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        """Record messages as delivered."""
        ...

    async def retry_later(
        self, message_id: int, due_at: datetime, error: str, *, count_attempt: bool = True
    ) -> None:
        """Put a message back to be sent at ``due_at``, counting a failed attempt if asked."""
        ...

    async def dead_letter(self, message_id: int, error: str) -> None:
        """Give up on a message for good."""
        ...

    async def drop(self, message_id: int, reason: str) -> None:
        """Settle a message unsent because its recipient no longer wants it (channel paused)."""
        ...

    async def release(self, message_ids: Sequence[int]) -> None:
        """Hand claimed messages back unsent, due at once (a sender is stopping)."""
        ...

    async def deactivate_recipient(
        self, chat_id: int, error: str, now: datetime | None = None
    ) -> int:
        """Mark a chat unreachable (user inactive, channel lost) and drop its waiting messages.

        A channel that becomes lost (it was active or paused) gets its owner told in the same
        step: a notice due at ``now`` (default: the current time) in the owner's language,
        once per time the channel is lost.
        Returns how many messages were dropped, the claimed ones of that chat included.
        """
        ...

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Follow a group that became a supergroup: its channel and waiting messages move.

        Returns how many waiting messages moved.
        """
        ...


@dataclass(frozen=True, slots=True)
class ReminderOutcome:
    """What applying reminder plans did; ``stale``: the (region, queue) pairs whose plans were
    refused because their days changed meanwhile; ``wanted``: per applied (region, queue),
    the lead times its followers want (a store may leave it empty: then all are assumed)."""

    queued: int = 0
    withdrawn: int = 0
    stale: tuple[tuple[str, str], ...] = ()
    wanted: tuple[tuple[str, str, frozenset[Lead]], ...] = ()


class ReminderStore(Protocol):
    """The outbox's reminders: which queues need planning, and queues' plans applied."""

    async def reminder_queues(self) -> Mapping[str, Sequence[str]]:
        """Queues per region followed by an active user, or with reminders waiting."""
        ...

    async def apply_reminders(self, plans: Sequence[QueueReminders]) -> ReminderOutcome:
        """Make each queue's waiting reminders exactly its plan's, per recipient.

        A recipient is an active subscriber of the queue with reminders on and the
        reminder's lead time among theirs. Waiting reminders nobody should get any more are
        withdrawn, withdrawn (or dropped) ones a plan wants again are restored, and missing
        upcoming ones are queued: once per (reminder, chat) ever. Each queue's changes are
        atomic, and refused (stale) when its stored days are no longer ``plan.basis``.
        """
        ...


class SendFailed(Exception):
    """A message was not delivered; the subclass says what the sender should do."""


class RetryAfter(SendFailed):
    """Flood control: nothing may be sent for ``seconds``."""

    def __init__(self, seconds: float, detail: str = "") -> None:
        super().__init__(detail or f"retry after {seconds}s")
        self.seconds = seconds


class TemporaryFailure(SendFailed):
    """A server error or a network failure: worth trying again later."""


class RecipientGone(SendFailed):
    """The chat cannot be written to any more (blocked, deactivated, kicked, not found)."""


class ChatMigrated(SendFailed):
    """The group became a supergroup with another id; send there instead."""

    def __init__(self, new_chat_id: int, detail: str = "") -> None:
        super().__init__(detail or f"migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class MessageRejected(SendFailed):
    """Telegram refused this message itself (malformed, too long): retrying cannot help."""


class TargetMessageGone(MessageRejected):
    """The message to edit or delete is gone or may no longer be changed."""


@dataclass(frozen=True, slots=True)
class SentPhoto:
    """A photo message as sent or edited; ``file_id`` re-sends the picture without uploading."""

    message_id: int
    file_id: str | None


class MessageSender(Protocol):
    """Sends messages to Telegram chats; failures are SendFailed subclasses, nothing else.

    ``keyboard`` puts inline buttons under the message; ``thread_id`` posts into a topic of
    a forum supergroup.
    """

    async def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        silent: bool = False,
        paid: bool = False,
        keyboard: Keyboard = NO_BUTTONS,
        thread_id: int | None = None,
    ) -> int:
        """Send an HTML text (``silent``: without sound; ``paid``: paid broadcast); its id."""
        ...

    async def send_photo(
        self,
        chat_id: int,
        photo: bytes | str,
        caption: str,
        *,
        silent: bool = False,
        paid: bool = False,
        keyboard: Keyboard = NO_BUTTONS,
        thread_id: int | None = None,
    ) -> SentPhoto:
        """Send a photo (PNG bytes to upload, or a file_id) with an HTML caption."""
        ...

    async def edit_photo(
        self,
        chat_id: int,
        message_id: int,
        photo: bytes | str,
        caption: str,
        *,
        keyboard: Keyboard = NO_BUTTONS,
    ) -> SentPhoto:
        """Replace a photo message's picture, caption and buttons; TargetMessageGone when it
        is gone."""
        ...

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        """Delete a message; TargetMessageGone when it is gone or may not be deleted."""
        ...


class SendBudget(Protocol):
    """Telegram's flood limits as a gate every message passes: global rate and per-chat spacing."""

    async def acquire(self, chat_id: int) -> None:
        """Wait until one more message to ``chat_id`` is allowed, and count it."""
        ...

    async def pause(self, seconds: float) -> None:
        """Let nothing through for ``seconds`` (after a 429); a shorter pause never shortens it."""
        ...
