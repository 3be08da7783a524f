"""What the fake Telegram knows: the bot, users, chats with states, messages, files, calls."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import CHAT_NOT_FOUND, bad_request
from .limits import Limits, RateLimiter
from .updates import UpdateQueue
from .webhook import WebhookPusher

ChatKind = Literal["private", "group", "supergroup", "channel"]
ChatState = Literal["ok", "blocked", "deactivated", "kicked", "not_found", "migrated"]
MemberStatus = Literal["creator", "administrator", "member", "left", "kicked"]
CHAT_KINDS: tuple[ChatKind, ...] = ("private", "group", "supergroup", "channel")
CHAT_STATES: tuple[ChatState, ...] = (
    "ok",
    "blocked",
    "deactivated",
    "kicked",
    "not_found",
    "migrated",
)
MEMBER_STATUSES: tuple[MemberStatus, ...] = ("creator", "administrator", "member", "left", "kicked")
ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
    "can_post_messages",
    "can_edit_messages",
    "can_pin_messages",
)


@dataclass
class User:
    """A Telegram account: a person, or the bot itself."""

    id: int
    first_name: str
    is_bot: bool = False
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None


@dataclass
class Membership:
    """One user's status in a chat; an administrator also has rights."""

    status: MemberStatus
    rights: dict[str, bool] = field(default_factory=dict)


@dataclass
class Message:
    """A message in a chat as it is now (after edits); ``deleted`` ones are kept for tests."""

    message_id: int
    chat_id: int
    sender_id: int
    date: int
    text: str | None = None
    caption: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    photo: list[dict[str, Any]] | None = None
    reply_markup: dict[str, Any] | None = None
    source: str | None = None
    parse_mode: str | None = None
    reply_to: int | None = None
    edit_date: int | None = None
    edits: int = 0
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    thread_id: int | None = None  # the forum topic it is in (None: General, or no topics)

    @property
    def photo_file_id(self) -> str | None:
        """The file_id of the largest size when this is a photo."""
        return self.photo[-1]["file_id"] if self.photo else None


@dataclass
class Chat:
    """A chat of one kind, with the state the bot would meet when writing to it."""

    id: int
    kind: ChatKind
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    state: ChatState = "ok"
    migrate_to: int | None = None
    is_forum: bool = False  # a supergroup with topics
    topics: dict[int, str] = field(default_factory=dict)  # thread id -> name
    members: dict[int, Membership] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1


@dataclass
class StoredFile:
    """An uploaded file kept by file_id; every photo size points at the same bytes."""

    file_id: str
    file_unique_id: str
    data: bytes
    sizes: list[dict[str, Any]]
    path: str


@dataclass
class Call:
    """One Bot API call as the fake saw it and answered it."""

    method: str
    params: dict[str, Any]
    status: int
    description: str | None
    result: Any
    at: float

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.status == 200


@dataclass
class CallbackQuery:
    """A button press sent to the bot, and whether (and how) the bot answered it."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    answered: bool = False
    answer: dict[str, Any] | None = None


class World:
    """One fake Telegram with one bot: users, chats, files, calls, updates and limits."""

    def __init__(
        self, bot: User, limits: Limits | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.bot = bot
        self.clock = clock
        self.limiter = RateLimiter(limits or Limits())
        self.updates = UpdateQueue()
        self.webhook = WebhookPusher(self.updates, clock=clock)
        self.users: dict[int, User] = {bot.id: bot}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.calls: list[Call] = []
        self.callbacks: dict[str, CallbackQuery] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._user_ids = itertools.count(700_000_001)
        self._group_ids = itertools.count(4_000_000_001)
        self._channel_ids = itertools.count(1_000_000_000_001)
        self._serial = itertools.count(1)

    def now(self) -> int:
        """Unix seconds as Telegram puts them into ``date`` fields."""
        return int(self.clock())

    def serial(self) -> int:
        """A number never handed out before by this world (for ids of files and queries)."""
        return next(self._serial)

    def new_user_id(self) -> int:
        """A fresh positive user id."""
        while (user_id := next(self._user_ids)) in self.users:
            pass
        return user_id

    def new_chat_id(self, kind: ChatKind) -> int:
        """A fresh id shaped like Telegram's for ``kind`` (groups -N, the rest -100N)."""
        ids = self._group_ids if kind == "group" else self._channel_ids
        while (chat_id := -next(ids)) in self.chats:
            pass
        return chat_id

    def user(self, user_id: int) -> User:
        """The user with ``user_id``; KeyError names it when unknown."""
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id}")
        return self.users[user_id]

    def find_chat(self, ref: int | str) -> Chat | None:
        """The chat with this id or ``@username``, if the fake knows it."""
        if isinstance(ref, str):
            if ref.startswith("@"):
                name = ref[1:].lower()
                return next(
                    (c for c in self.chats.values() if (c.username or "").lower() == name), None
                )
            try:
                ref = int(ref)
            except ValueError:
                return None
        return self.chats.get(ref)

    def chat(self, ref: int | str) -> Chat:
        """The chat with this id or ``@username``; a 400 "chat not found" otherwise."""
        found = self.find_chat(ref)
        if found is None or found.state == "not_found":
            raise bad_request(CHAT_NOT_FOUND)
        return found

    def bot_status(self, chat: Chat) -> Membership:
        """The bot's membership in ``chat`` (left when it was never added)."""
        return chat.members.get(self.bot.id, Membership("left"))

    def add_message(self, chat: Chat, sender_id: int, **fields: Any) -> Message:
        """Stores a new message in ``chat`` under the chat's next message id."""
        message = Message(chat.next_message_id, chat.id, sender_id, self.now(), **fields)
        chat.messages[message.message_id] = message
        chat.next_message_id += 1
        return message
