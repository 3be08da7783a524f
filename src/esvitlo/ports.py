"""Protocols for the edges of the system; services depend on these, adapters implement them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import (
    AdminStats,
    Channel,
    ChannelStatus,
    NotificationSettings,
    PostMode,
    Subscription,
    User,
)
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.alerts import ChangeAlert
from esvitlo.domain.changes import QueueCheck
from esvitlo.domain.channel_health import BotMembership, ChatLookup, CheckedChannel
from esvitlo.domain.channel_posts import ChannelPost
from esvitlo.domain.delivery import OutboxMessage
from esvitlo.domain.model import DaySchedule, QueueSchedule, RegionSnapshot
from esvitlo.domain.monitors import Monitor, MonitorKind, PowerMessage, PowerOutage, WatchedMonitor
from esvitlo.domain.power import PowerState, Transition
from esvitlo.domain.power_week import WeekChart
from esvitlo.domain.probing import ProbeResult
from esvitlo.domain.reminder_alerts import QueueReminders
from esvitlo.domain.texts import Texts


class Clock(Protocol):
    """Time source; tests drive it by hand."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait; a fake clock may return at once."""
        ...


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched document; ``body`` is None when the server answered 304 Not Modified."""

    body: bytes | None
    etag: str | None = None


class SourceUnavailable(Exception):
    """A source could not be fetched (network error, timeout, bad status)."""


class ScheduleSource(Protocol):
    """Fetches raw schedule documents by URL."""

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        """Fetch ``url``; raise SourceUnavailable when it cannot be had."""
        ...


class ScheduleStore(Protocol):
    """Keeps the last known days of every (region, queue)."""

    async def load(self, region: str) -> Mapping[str, Mapping[date, DaySchedule]] | None:
        """All stored queues of a region, or None when the region was never stored."""
        ...

    async def save(self, region: str, queues: Mapping[str, Mapping[date, DaySchedule]]) -> None:
        """Replace the stored days of the given queues of a region."""
        ...

    async def save_and_plan(
        self,
        region: str,
        queues: Mapping[str, Mapping[date, DaySchedule]],
        alerts: Sequence[ChangeAlert],
        posts: Sequence[ChannelPost] = (),
    ) -> int:
        """Save like ``save`` and queue every alert for its recipients, atomically.

        ``posts`` (one per changed queue, going with that queue's alerts) are queued for the
        active channels linked to the queue. Returns the messages queued; an alert or post
        already planned queues nothing again, and a message still waiting on the same topic
        is replaced by the newer one.
        """
        ...


@dataclass(frozen=True, slots=True)
class RegionCheck:
    """The outcome of one check of one region: the snapshot used and each queue's verdict."""

    region: str
    snapshot: RegionSnapshot
    checks: Mapping[str, QueueCheck]
    fetch_failed: bool
    source_url: str
    errors: tuple[str, ...] = ()

    def summary(self) -> str:
        """Decision counts such as ``changed=1 no_change=11``, marked when the copy is stale."""
        counts = Counter(check.decision.value for check in self.checks.values())
        text = " ".join(f"{name}={n}" for name, n in sorted(counts.items())) or "no_queues"
        return f"stale {text}" if self.fetch_failed else text


class ChangeSink(Protocol):
    """Receives what a schedule check found (later: the delivery outbox planner)."""

    async def region_checked(self, result: RegionCheck) -> None:
        """Called once per completed check of a region, with the verdict per queue."""
        ...


# Accounts and delivery storage: one implementation per backend (adapters.sql), one contract suite.


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

    async def add(self, user_id: int, region: str, queue: str, label: str) -> Subscription:
        """Follow a queue; raise DuplicateSubscription when the user already follows it."""
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

    async def add_pending(self, chat_id: int, owner_user_id: int, title: str) -> Channel:
        """Register a channel awaiting setup, or reset a known one to pending for this owner."""
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

    async def pending_count(self) -> int:
        """How many messages wait to be sent."""
        ...


class AdminQueries(Protocol):
    """Read-only numbers for the admin panel."""

    async def stats(self) -> AdminStats:
        """Head counts of users, subscriptions per region, channels and the outbox."""
        ...


class ChartRenderer(Protocol):
    """Draws schedule images (CPU-bound: call it off the event loop)."""

    def schedule_png(
        self,
        schedule: QueueSchedule | None,
        *,
        today: date,
        zone: ZoneInfo,
        texts: Texts,
        region: str,
        queue: str,
    ) -> bytes:
        """A PNG of a queue's today and tomorrow with plain-text titles."""
        ...


class PowerChartRenderer(Protocol):
    """Draws a monitor's weekly power chart (CPU-bound: call it off the event loop)."""

    def week_png(self, chart: WeekChart) -> bytes:
        """A PNG of seven days: real outages over the planned ones, today marked."""
        ...


# Delivery: the outbox as a work queue, the Telegram edge and the send budget.


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
    refused because their days changed meanwhile."""

    queued: int = 0
    withdrawn: int = 0
    stale: tuple[tuple[str, str], ...] = ()


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
    """Sends messages to Telegram chats; failures are SendFailed subclasses, nothing else."""

    async def send_text(
        self, chat_id: int, text: str, *, silent: bool = False, paid: bool = False
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
    ) -> SentPhoto:
        """Send a photo (PNG bytes to upload, or a file_id) with an HTML caption."""
        ...

    async def edit_photo(
        self, chat_id: int, message_id: int, photo: bytes | str, caption: str
    ) -> SentPhoto:
        """Replace a photo message's picture and caption; TargetMessageGone when it is gone."""
        ...

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        """Delete a message; TargetMessageGone when it is gone or may not be deleted."""
        ...


class Monitors(Protocol):
    """A user's power monitors and the outages they saw."""

    async def add(
        self,
        user_id: int,
        subscription_id: int,
        kind: MonitorKind,
        target: str,
        secret: str | None,
        beat_every: timedelta,
    ) -> Monitor:
        """Store a new monitor on one of the user's addresses."""
        ...

    async def list_for_user(self, user_id: int) -> list[Monitor]:
        """The user's monitors, oldest first."""
        ...

    async def get(self, monitor_id: int, user_id: int) -> Monitor | None:
        """One of the user's monitors, or None when it is not theirs."""
        ...

    async def remove(self, monitor_id: int, user_id: int) -> bool:
        """Delete one of the user's monitors with its history; False when it is not theirs."""
        ...

    async def count_for_user(self, user_id: int) -> int:
        """How many monitors the user has."""
        ...

    async def set_notify(
        self, monitor_id: int, user_id: int, *, notify_user: bool, notify_channel: bool
    ) -> bool:
        """Choose who hears of the monitor's changes: the user, their channel, both."""
        ...

    async def outages(self, monitor_id: int, since: datetime, until: datetime) -> list[PowerOutage]:
        """The monitor's outages overlapping ``[since, until)``, oldest first."""
        ...


class PowerStore(Protocol):
    """What the power watch reads and writes: monitors with their state, and heartbeats."""

    async def watched(self) -> list[tuple[WatchedMonitor, int]]:
        """Every monitor with who hears of it, and its state version (for :meth:`save`)."""
        ...

    async def save(
        self,
        monitor_id: int,
        version: int,
        state: PowerState,
        transition: Transition | None = None,
        messages: Sequence[PowerMessage] = (),
    ) -> bool:
        """Store the state if it is still at ``version``, keep the outage history in step and
        queue the messages, all at once; False (nothing written) when someone else moved it."""
        ...

    async def record_beat(self, secret: str, at: datetime) -> bool:
        """Note a heartbeat; False when no heartbeat monitor has that secret."""
        ...


class SendBudget(Protocol):
    """Telegram's flood limits as a gate every message passes: global rate and per-chat spacing."""

    async def acquire(self, chat_id: int) -> None:
        """Wait until one more message to ``chat_id`` is allowed, and count it."""
        ...

    async def pause(self, seconds: float) -> None:
        """Let nothing through for ``seconds`` (after a 429); a shorter pause never shortens it."""
        ...


# Coordination between instances: one in-process implementation, one over Redis.


@dataclass(frozen=True, slots=True)
class CoordinationEvent:
    """A message published to every instance on a channel; ``sender`` is its instance id."""

    channel: str
    payload: str
    sender: str


EventHandler = Callable[[CoordinationEvent], Awaitable[None]]


class CoordinationUnavailable(Exception):
    """The shared coordination backend cannot be reached; what it knows is unknown."""


class Coordinator(Protocol):
    """What instances share: named leases (leadership, task locks), presence and events.

    Leases are held by ``instance_id`` for a TTL; a holder that stops refreshing loses them.
    An unreachable backend never grants a lease, so a holder cut off from it must assume it
    lost the lease (see services.coordination). Events are best-effort hints (a lost
    connection loses the events published meanwhile): receivers re-read what they mean.
    """

    @property
    def instance_id(self) -> str:
        """This instance's name, unique among live instances."""
        ...

    async def hold(self, name: str, ttl: float) -> bool:
        """Take the lease ``name`` for ``ttl`` seconds, or extend it when it is already ours;
        False when another instance holds it or the backend is unreachable."""
        ...

    async def release(self, name: str) -> None:
        """Give the lease ``name`` up if this instance holds it (otherwise nothing happens)."""
        ...

    async def announce(self, ttl: float) -> None:
        """Count this instance among the live ones for the next ``ttl`` seconds."""
        ...

    async def leave(self) -> None:
        """Stop counting this instance among the live ones at once."""
        ...

    async def live_instances(self) -> list[str]:
        """The ids of the instances announced and not expired, sorted; CoordinationUnavailable
        when the backend cannot say."""
        ...

    async def publish(self, channel: str, payload: str) -> None:
        """Send ``payload`` to every subscriber of ``channel``, this instance's included."""
        ...

    async def subscribe(self, channel: str, handler: EventHandler) -> None:
        """Call ``handler`` with every event published on ``channel`` from now on."""
        ...

    async def close(self) -> None:
        """Stop listening for events and close connections (leases are left to expire)."""
        ...


@dataclass(frozen=True, slots=True)
class CachedDocument:
    """A fetched source document kept for other instances, with its ETag."""

    body: bytes
    etag: str | None = None


class SourceCache(Protocol):
    """Fetched source documents shared between instances, each kept for a while."""

    async def get(self, url: str) -> CachedDocument | None:
        """The document cached for ``url``, or None (also when the cache is unreachable)."""
        ...

    async def put(self, url: str, document: CachedDocument, ttl: float) -> None:
        """Keep ``document`` for ``url`` for ``ttl`` seconds (silently skipped when unreachable)."""
        ...


# Housekeeping: channel health checks and retention.


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


class Prober(Protocol):
    """Probes a monitor's address once (resolving and checking it first)."""

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        """The verdict of one probe; never raises for network trouble (INCONCLUSIVE)."""
        ...
