"""Bot API objects built from the fake's state, shaped like the ones Telegram returns."""

from __future__ import annotations

from typing import Any

from .state import ADMIN_RIGHTS, Chat, Membership, Message, User, World


def user_object(user: User) -> dict[str, Any]:
    """A ``User`` object."""
    obj: dict[str, Any] = {"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name}
    for name in ("last_name", "username", "language_code"):
        if (value := getattr(user, name)) is not None:
            obj[name] = value
    return obj


def me_object(bot: User) -> dict[str, Any]:
    """The bot's own ``User`` as getMe returns it, with the bot-only flags."""
    return {
        **user_object(bot),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def chat_object(chat: Chat) -> dict[str, Any]:
    """A ``Chat`` object: id, type and the title or name."""
    obj: dict[str, Any] = {"id": chat.id, "type": chat.kind}
    if chat.kind == "private":
        obj["first_name"] = chat.first_name or ""
    else:
        obj["title"] = chat.title or ""
    if chat.username:
        obj["username"] = chat.username
    if chat.is_forum:
        obj["is_forum"] = True
    return obj


def chat_full_object(chat: Chat) -> dict[str, Any]:
    """A ``ChatFullInfo`` as getChat returns it."""
    return {
        **chat_object(chat),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def member_object(user: User, membership: Membership) -> dict[str, Any]:
    """A ``ChatMember`` variant chosen by status, with the rights an administrator has."""
    obj: dict[str, Any] = {"status": membership.status, "user": user_object(user)}
    if membership.status == "creator":
        obj["is_anonymous"] = False
    elif membership.status == "administrator":
        obj["can_be_edited"] = False
        obj["is_anonymous"] = False
        for right in ADMIN_RIGHTS:
            obj[right] = membership.rights.get(right, False)
    elif membership.status == "kicked":
        obj["until_date"] = 0
    return obj


def message_object(world: World, message: Message, *, with_reply: bool = True) -> dict[str, Any]:
    """A ``Message`` as Telegram returns it after sending or editing, or inside an update."""
    chat = world.chats[message.chat_id]
    obj: dict[str, Any] = {"message_id": message.message_id, "date": message.date}
    if message.thread_id is not None:
        obj["message_thread_id"] = message.thread_id
        obj["is_topic_message"] = True
    if chat.kind == "channel":
        obj["sender_chat"] = chat_object(chat)
    else:
        obj["from"] = user_object(world.users[message.sender_id])
    obj["chat"] = chat_object(chat)
    if message.edit_date is not None:
        obj["edit_date"] = message.edit_date
    if message.photo is not None:
        obj["photo"] = message.photo
        if message.caption:
            obj["caption"] = message.caption
            if message.entities:
                obj["caption_entities"] = message.entities
    elif message.text is not None:
        obj["text"] = message.text
        if message.entities:
            obj["entities"] = message.entities
    markup = message.reply_markup
    if markup and "inline_keyboard" in markup:
        obj["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
    if with_reply and message.reply_to is not None:
        replied = chat.messages.get(message.reply_to)
        if replied is not None and not replied.deleted:
            obj["reply_to_message"] = message_object(world, replied, with_reply=False)
    obj.update(message.extra)
    return obj
