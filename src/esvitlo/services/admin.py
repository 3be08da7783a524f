"""Operator actions: statistics, broadcasts through the outbox, pause mode, system and user
lookups, run-time settings, and the messages between users and the admins (feedback,
replies, error reports).

Feedback and error reports are rate-limited in this process: a user sends at most
``FEEDBACK_LIMIT`` messages an hour; the same error (where it happened and its type) is
reported once per ``ERROR_REPORT_GAP``, and at most ``ERROR_REPORTS_PER_HOUR`` reports go out
an hour in all, so a failing handler cannot flood the admins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from esvitlo.domain.accounts import AdminStats
from esvitlo.domain.admin_messages import (
    USER_LIST_LIMIT,
    UserCard,
    UserFilter,
    UserList,
    error_report_messages,
    feedback_messages,
    reply_message,
)
from esvitlo.domain.sliding_window import SlidingWindowLimiter
from esvitlo.domain.texts import BotTexts, bot_texts_for
from esvitlo.ports import AdminQueries, AppFlags, Outbox, Users
from esvitlo.services.cluster_events import ClusterEvents
from esvitlo.services.runtime_settings import RuntimeSettings

PAUSE_FLAG = "pause_message"
FEEDBACK_LIMIT = 3
FEEDBACK_WINDOW = timedelta(hours=1)
ERROR_REPORT_GAP = timedelta(minutes=10)
ERROR_REPORTS_PER_HOUR = 12


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """What an admin sees of the running system."""

    version: str
    instance: str
    instances: tuple[str, ...]
    leader: bool
    started_at: datetime
    database: str
    redis: bool


class Feedback(StrEnum):
    """What became of a user's message to the admins."""

    SENT = "sent"
    TOO_MANY = "too_many"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    """The outcome, and how long to wait when there were too many."""

    outcome: Feedback
    wait: timedelta = timedelta(0)


class AdminService:
    """What only configured admins may do, and what users send them."""

    def __init__(
        self,
        admin_ids: frozenset[int],
        queries: AdminQueries,
        outbox: Outbox,
        flags: AppFlags,
        *,
        users: Users | None = None,
        events: ClusterEvents | None = None,
        system: Callable[[], Awaitable[SystemInfo]] | None = None,
        runtime: RuntimeSettings | None = None,
    ) -> None:
        self._events = events
        self.runtime = runtime
        self._admins = admin_ids
        self._queries = queries
        self._outbox = outbox
        self._flags = flags
        self._users = users
        self._system = system
        self._feedback = SlidingWindowLimiter(FEEDBACK_LIMIT, FEEDBACK_WINDOW)
        self._same_error = SlidingWindowLimiter(1, ERROR_REPORT_GAP)
        self._all_errors = SlidingWindowLimiter(ERROR_REPORTS_PER_HOUR, timedelta(hours=1))

    def is_admin(self, telegram_id: int) -> bool:
        """True only for the configured admin ids."""
        return telegram_id in self._admins

    @property
    def has_admins(self) -> bool:
        """Whether anybody reads feedback and error reports."""
        return bool(self._admins)

    async def stats(self) -> AdminStats:
        """Users, subscriptions per region, channels and pending outbox messages."""
        return await self._queries.stats()

    async def user_card(self, telegram_id: int) -> UserCard | None:
        """One user as an admin sees them, or None when unknown."""
        return await self._queries.user_card(telegram_id)

    async def users(self, query: str) -> UserList:
        """The newest users whose Telegram id starts with ``query`` (digits) or who follow
        the region ``query``; all of them when it is empty."""
        return await self._queries.users(UserFilter.parse(query), USER_LIST_LIMIT)

    async def system_info(self) -> SystemInfo | None:
        """Version, instances, leadership, uptime and backends; None when not wired."""
        return await self._system() if self._system is not None else None

    async def broadcast(self, text: str, now: datetime) -> int:
        """Enqueue one message per active user for the delivery pipeline; the row count."""
        return await self._outbox.enqueue_broadcast(text, now)

    async def pause_message(self) -> str | None:
        """The message users get while the bot is paused, or None when it is not."""
        return await self._flags.get(PAUSE_FLAG)

    async def set_pause(self, message: str | None) -> None:
        """Pause the bot with a message for users, or resume it with None."""
        await self._flags.set(PAUSE_FLAG, message)
        if self._events is not None:
            await self._events.pause_changed()

    async def _languages(self, telegram_ids: frozenset[int]) -> Mapping[int, BotTexts]:
        """Each person's texts: their stored language, Ukrainian for one the bot does not know."""
        chosen: dict[int, BotTexts] = {}
        for telegram_id in telegram_ids:
            user = await self._users.get_by_telegram_id(telegram_id) if self._users else None
            chosen[telegram_id] = bot_texts_for(user.language if user else None)
        return chosen

    async def send_feedback(
        self, telegram_id: int, name: str, text: str, now: datetime
    ) -> FeedbackResult:
        """Queue a user's message to every admin, at most FEEDBACK_LIMIT an hour per user."""
        if not text.strip():
            return FeedbackResult(Feedback.EMPTY)
        wait = self._feedback.take(telegram_id, now)
        if wait is not None:
            return FeedbackResult(Feedback.TOO_MANY, wait)
        admins = await self._languages(self._admins)
        await self._outbox.enqueue_direct(
            feedback_messages(admins, telegram_id, name, text, now), now
        )
        return FeedbackResult(Feedback.SENT)

    async def reply(self, admin_id: int, telegram_id: int, text: str, now: datetime) -> bool:
        """Queue an admin's reply to a user of the bot; False when there is no such user."""
        user = await self._users.get_by_telegram_id(telegram_id) if self._users else None
        if user is None or not text.strip():
            return False
        message = reply_message(bot_texts_for(user.language), admin_id, telegram_id, text, now)
        await self._outbox.enqueue_direct([message], now)
        return True

    async def report_error(self, where: str, error: str, update: str, now: datetime) -> bool:
        """Tell the admins a handler failed, unless the same error was reported lately or
        the hour's reports are used up; whether a report was queued."""
        if not self._admins:
            return False
        if self._same_error.take((where, error.split(":")[0]), now) is not None:
            return False
        if self._all_errors.take("all", now) is not None:
            return False
        admins = await self._languages(self._admins)
        await self._outbox.enqueue_direct(
            error_report_messages(admins, where, error, update, now), now
        )
        return True
