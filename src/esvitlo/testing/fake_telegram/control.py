"""The Python control API of the fake: people, chats and their states, what people do."""

from __future__ import annotations

import re
from typing import Any

from .harness import Harness
from .messaging import message_thread
from .objects import chat_object, member_object, message_object, user_object
from .state import (
    CHAT_KINDS,
    CHAT_STATES,
    CallbackQuery,
    Chat,
    ChatKind,
    ChatState,
    Membership,
    MemberStatus,
    User,
)

_BOT_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities for every ``/command`` in a user's text, as Telegram adds them."""
    return [
        {"type": "bot_command", "offset": _utf16(text[: m.start()]), "length": _utf16(m.group())}
        for m in _BOT_COMMAND.finditer(text)
    ]


class Controls(Harness):
    """What a test (or the /_control API) does to the fake: the world outside the bot."""

    # people and chats

    def create_user(
        self,
        first_name: str = "User",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "uk",
        user_id: int | None = None,
    ) -> User:
        """A new person with a private chat with the bot (state "ok")."""
        world = self.world
        user = User(
            user_id or world.new_user_id(), first_name, False, username, last_name, language_code
        )
        world.users[user.id] = user
        world.chats[user.id] = Chat(
            user.id,
            "private",
            first_name=first_name,
            username=username,
            members={user.id: Membership("member"), world.bot.id: Membership("member")},
        )
        return user

    def create_chat(
        self,
        kind: ChatKind,
        title: str | None = None,
        *,
        chat_id: int | None = None,
        username: str | None = None,
        owner_id: int | None = None,
        bot_status: MemberStatus | None = None,
        can_post_messages: bool = True,
        is_forum: bool = False,
    ) -> Chat:
        """A new group, supergroup (a forum with topics when asked) or channel with an owner;
        the bot is a member (an admin that may post in a channel) unless ``bot_status`` says
        otherwise."""
        if kind not in CHAT_KINDS or kind == "private":
            raise ValueError(f"use create_user for private chats, not kind={kind!r}")
        if is_forum and kind != "supergroup":
            raise ValueError("only a supergroup can be a forum")
        world = self.world
        chat_id = chat_id or world.new_chat_id(kind)
        owner = world.user(owner_id) if owner_id else self.create_user(f"Owner of {chat_id}")
        chat = Chat(chat_id, kind, title=title or f"{kind.title()} {chat_id}", username=username)
        chat.is_forum = is_forum
        chat.members[owner.id] = Membership("creator")
        status = bot_status or ("administrator" if kind == "channel" else "member")
        chat.members[world.bot.id] = _bot_membership(status, can_post_messages, False, None)
        if status == "kicked":
            chat.state = "kicked"
        world.chats[chat_id] = chat
        return chat

    def create_forum_topic(self, chat_id: int, name: str) -> int:
        """A new topic in a forum supergroup; its thread id (the id of the service message
        that opens it, as on Telegram)."""
        chat = self._chat(chat_id)
        if not chat.is_forum:
            raise ValueError(f"chat {chat_id} is not a forum")
        owner = next((u for u, m in chat.members.items() if m.status == "creator"), chat.id)
        opened = self.world.add_message(chat, owner, extra={"forum_topic_created": {"name": name}})
        opened.thread_id = opened.message_id
        chat.topics[opened.message_id] = name
        return opened.message_id

    def set_member(self, chat_id: int, user_id: int, status: MemberStatus) -> None:
        """Sets a person's status in a chat (no update is sent for other people)."""
        chat = self._chat(chat_id)
        self.world.user(user_id)
        chat.members[user_id] = Membership(status)

    def set_bot_member(
        self,
        chat_id: int,
        status: MemberStatus,
        *,
        can_post_messages: bool = True,
        can_delete_messages: bool = False,
        rights: dict[str, bool] | None = None,
        by_user_id: int | None = None,
    ) -> None:
        """Changes the bot's status in a chat and sends ``my_chat_member`` when it changed."""
        chat = self._chat(chat_id)
        old = self.world.bot_status(chat)
        new = _bot_membership(status, can_post_messages, can_delete_messages, rights)
        chat.members[self.world.bot.id] = new
        if chat.kind != "private":
            if status == "kicked":
                chat.state = "kicked"
            elif chat.state == "kicked":
                chat.state = "ok"
        if old != new:
            self._emit_my_chat_member(chat, old, new, by_user_id)

    def set_chat_state(
        self, chat_id: int, state: ChatState, *, migrate_to_chat_id: int | None = None
    ) -> Chat:
        """Puts a chat into a state the bot will meet on its next call; returns the chat
        (the new supergroup for "migrated")."""
        if state not in CHAT_STATES:
            raise ValueError(f"unknown chat state {state!r}; one of {CHAT_STATES}")
        chat = self._chat(chat_id)
        if chat.kind == "private":
            return self._set_private_state(chat, state)
        if state in ("blocked", "deactivated"):
            raise ValueError(f"state {state!r} is for private chats")
        if state == "migrated":
            return self._migrate(chat, migrate_to_chat_id)
        if state == "kicked":
            self.set_bot_member(chat.id, "kicked")
        elif state == "ok" and self.world.bot_status(chat).status in ("kicked", "left"):
            self.set_bot_member(chat.id, "administrator" if chat.kind == "channel" else "member")
        chat.state = state
        return chat

    def _set_private_state(self, chat: Chat, state: ChatState) -> Chat:
        if state in ("kicked", "migrated"):
            raise ValueError(f"state {state!r} is not for private chats")
        was_blocked = chat.state == "blocked"
        chat.state = state
        if (state == "blocked") != was_blocked:
            old = self.world.bot_status(chat)
            new = Membership("kicked" if state == "blocked" else "member")
            chat.members[self.world.bot.id] = new
            self._emit_my_chat_member(chat, old, new, chat.id)
        return chat

    def _migrate(self, chat: Chat, new_id: int | None) -> Chat:
        if chat.kind != "group":
            raise ValueError("only a group can be migrated to a supergroup")
        world = self.world
        target = Chat(
            new_id or world.new_chat_id("supergroup"),
            "supergroup",
            title=chat.title,
            members=dict(chat.members),
        )
        world.chats[target.id] = target
        chat.state, chat.migrate_to = "migrated", target.id
        owner = next((u for u, m in chat.members.items() if m.status == "creator"), world.bot.id)
        left = world.add_message(chat, owner, extra={"migrate_to_chat_id": target.id})
        arrived = world.add_message(target, owner, extra={"migrate_from_chat_id": chat.id})
        for message in (left, arrived):
            world.updates.push("message", message_object(world, message))
        return target

    def _emit_my_chat_member(
        self, chat: Chat, old: Membership, new: Membership, by_user_id: int | None
    ) -> None:
        world = self.world
        actor_id = by_user_id or next(
            (u for u, m in chat.members.items() if m.status == "creator"), chat.id
        )
        actor = world.users.get(actor_id) or world.bot
        world.updates.push(
            "my_chat_member",
            {
                "chat": chat_object(chat),
                "from": user_object(actor),
                "date": world.now(),
                "old_chat_member": member_object(world.bot, old),
                "new_chat_member": member_object(world.bot, new),
            },
        )

    # what people do

    def send_user_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A person writes ``text`` (commands get bot_command entities; writing to a bot one
        blocked unblocks it first), in a forum topic when ``thread_id`` names one; queues a
        ``message`` update and returns the Message."""
        world = self.world
        world.user(user_id)
        chat = self._chat(chat_id if chat_id is not None else user_id)
        thread = message_thread(chat, thread_id)
        if chat.kind == "private" and chat.state == "blocked":
            self._set_private_state(chat, "ok")
        message = world.add_message(
            chat,
            user_id,
            text=text,
            entities=command_entities(text),
            source=text,
            reply_to=reply_to_message_id,
            thread_id=thread,
        )
        obj = message_object(world, message)
        world.updates.push("message", obj)
        return obj

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, *, chat_id: int | None = None
    ) -> str:
        """A person presses an inline button of a bot message; queues a ``callback_query``
        update and returns its id. ValueError when the message has no such button."""
        world = self.world
        user = world.user(user_id)
        chat = self._chat(chat_id if chat_id is not None else user_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            raise ValueError(f"no message {message_id} in chat {chat.id}")
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        if not any(b.get("callback_data") == callback_data for row in rows for b in row):
            raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
        query = CallbackQuery(
            f"{world.serial()}{user.id}", user.id, chat.id, message_id, callback_data
        )
        world.callbacks[query.id] = query
        world.updates.push(
            "callback_query",
            {
                "id": query.id,
                "from": user_object(user),
                "message": message_object(world, message),
                "chat_instance": str(abs(chat.id) * 7 + 3),
                "data": callback_data,
            },
        )
        return query.id


def _bot_membership(
    status: MemberStatus, can_post: bool, can_delete: bool, rights: dict[str, bool] | None
) -> Membership:
    if status != "administrator":
        return Membership(status)
    granted = {
        "can_manage_chat": True,
        "can_post_messages": can_post,
        "can_edit_messages": can_post,
        "can_delete_messages": can_delete,
        "can_invite_users": True,
    }
    return Membership(status, {**granted, **(rights or {})})
