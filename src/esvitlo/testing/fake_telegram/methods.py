"""The Bot API methods the fake answers, by name (case-insensitive, like Telegram)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from . import messaging
from .errors import WEBHOOK_CONFLICT, bad_request, conflict
from .objects import chat_full_object, me_object, member_object
from .params import Params
from .state import Chat, Membership, World
from .webhook import WebhookConfig

Handler = Callable[[World, Params], Awaitable[Any]]
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


async def get_me(world: World, params: Params) -> dict[str, Any]:
    """getMe: the bot's own User with its bot-only flags."""
    return me_object(world.bot)


def _visible_chat(world: World, params: Params) -> Chat:
    chat = world.chat(params.chat_ref())
    if chat.state == "migrated" or chat.state == "kicked":
        messaging.check_reachable(world, chat)
    return chat


async def get_chat(world: World, params: Params) -> dict[str, Any]:
    """getChat: the ChatFullInfo of a chat the bot can see."""
    return chat_full_object(_visible_chat(world, params))


def _membership(world: World, chat: Chat, user_id: int) -> Membership:
    if user_id in chat.members:
        return chat.members[user_id]
    if chat.kind == "private" and user_id in (chat.id, world.bot.id):
        return Membership("member")
    return Membership("left")


def _check_member_list(world: World, chat: Chat) -> None:
    status = world.bot_status(chat).status
    if chat.kind == "channel" and status not in ("administrator", "creator"):
        raise bad_request("member list is inaccessible")


async def get_chat_member(world: World, params: Params) -> dict[str, Any]:
    """getChatMember: the bot, the owner, administrators, members, everyone else "left"."""
    chat = _visible_chat(world, params)
    user_id = params.required_int("user_id")
    if user_id not in world.users:
        raise bad_request("user not found")
    if user_id != world.bot.id:
        _check_member_list(world, chat)
    return member_object(world.users[user_id], _membership(world, chat, user_id))


async def get_chat_administrators(world: World, params: Params) -> list[dict[str, Any]]:
    """getChatAdministrators: the creator and administrators, the bot included when it is one."""
    chat = _visible_chat(world, params)
    if chat.kind == "private":
        raise bad_request("there are no administrators in the private chat")
    _check_member_list(world, chat)
    return [
        member_object(world.users[user_id], membership)
        for user_id, membership in chat.members.items()
        if membership.status in ("creator", "administrator")
    ]


async def send_chat_action(world: World, params: Params) -> bool:
    """sendChatAction: accepted for reachable chats and known actions."""
    messaging.target_chat(world, params)
    if params.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def answer_callback_query(world: World, params: Params) -> bool:
    """answerCallbackQuery: each pressed button may be answered once."""
    query = world.callbacks.get(params.required_str("callback_query_id"))
    if query is None or query.answered:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.text("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answer = {
        "text": text,
        "show_alert": params.flag("show_alert"),
        "url": params.text("url"),
        "cache_time": params.integer("cache_time", 0),
    }
    return True


def _commands_key(params: Params) -> tuple[str, str]:
    scope = params.structured("scope") or {"type": "default"}
    kind = scope.get("type", "default") if isinstance(scope, dict) else "default"
    detail = ",".join(f"{k}={v}" for k, v in sorted(scope.items()) if k != "type")
    return (f"{kind}:{detail}" if detail else kind, params.text("language_code") or "")


async def set_my_commands(world: World, params: Params) -> bool:
    """setMyCommands, stored per scope and language."""
    commands = params.structured("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        name = command.get("command", "") if isinstance(command, dict) else ""
        if not _COMMAND.fullmatch(str(name).lower()):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_commands_key(params)] = commands
    return True


async def get_my_commands(world: World, params: Params) -> list[dict[str, Any]]:
    """getMyCommands: the commands stored for the scope and language."""
    return world.commands.get(_commands_key(params), [])


async def delete_my_commands(world: World, params: Params) -> bool:
    """deleteMyCommands: forgets the commands of the scope and language."""
    world.commands.pop(_commands_key(params), None)
    return True


async def get_file(world: World, params: Params) -> dict[str, Any]:
    """getFile: the path to download a stored file from ``/file/bot<token>/<path>``."""
    stored = world.files.get(params.required_str("file_id"))
    if stored is None:
        raise bad_request("invalid file_id")
    size = next(s for s in stored.sizes if s["file_id"] == params.text("file_id"))
    return {
        "file_id": size["file_id"],
        "file_unique_id": size["file_unique_id"],
        "file_size": len(stored.data),
        "file_path": stored.path,
    }


def _allowed(params: Params) -> list[str] | None:
    allowed = params.structured("allowed_updates")
    if allowed is not None and not isinstance(allowed, list):
        raise bad_request("can't parse allowed updates JSON object")
    return [str(kind) for kind in allowed] if allowed is not None else None


async def get_updates(world: World, params: Params) -> list[dict[str, Any]]:
    """getUpdates: long polling; refused while a webhook is set."""
    if world.webhook.active:
        raise conflict(WEBHOOK_CONFLICT)
    limit = min(100, max(1, params.integer("limit", 100) or 100))
    timeout = max(0, params.integer("timeout", 0) or 0)
    offset = params.integer("offset")
    updates = await world.updates.poll(offset, limit, timeout, _allowed(params))
    return [update.to_json() for update in updates]


async def set_webhook(world: World, params: Params) -> bool:
    """setWebhook: an empty url removes the webhook; http and https are both accepted."""
    url = params.text("url") or ""
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    if not url:
        await world.webhook.delete()
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = _allowed(params)
    world.updates.set_allowed(allowed)
    max_connections = params.integer("max_connections", 40) or 40
    await world.webhook.set(WebhookConfig(url, secret, max_connections, allowed))
    return True


async def delete_webhook(world: World, params: Params) -> bool:
    """deleteWebhook: stops pushing; pending updates stay unless dropped."""
    if params.flag("drop_pending_updates"):
        world.updates.clear()
    await world.webhook.delete()
    return True


async def get_webhook_info(world: World, params: Params) -> dict[str, Any]:
    """getWebhookInfo: the URL, pending count and the last delivery error."""
    return world.webhook.info()


async def log_out(world: World, params: Params) -> bool:
    """logOut and close are accepted and change nothing."""
    return True


HANDLERS: dict[str, Handler] = {
    name.lower(): handler
    for name, handler in {
        "getMe": get_me,
        "getUpdates": get_updates,
        "setWebhook": set_webhook,
        "deleteWebhook": delete_webhook,
        "getWebhookInfo": get_webhook_info,
        "sendMessage": messaging.send_message,
        "sendPhoto": messaging.send_photo,
        "editMessageText": messaging.edit_message_text,
        "editMessageCaption": messaging.edit_message_caption,
        "editMessageMedia": messaging.edit_message_media,
        "editMessageReplyMarkup": messaging.edit_message_reply_markup,
        "deleteMessage": messaging.delete_message,
        "answerCallbackQuery": answer_callback_query,
        "getChat": get_chat,
        "getChatMember": get_chat_member,
        "getChatAdministrators": get_chat_administrators,
        "sendChatAction": send_chat_action,
        "setMyCommands": set_my_commands,
        "getMyCommands": get_my_commands,
        "deleteMyCommands": delete_my_commands,
        "getFile": get_file,
        "logOut": log_out,
        "close": log_out,
    }.items()
}
