"""Bot API methods that send, edit and delete messages, with Telegram's checks and limits."""

from __future__ import annotations

from typing import Any

from .errors import NOT_MODIFIED, ApiError, bad_request, forbidden
from .html import Formatted, format_text
from .objects import message_object
from .params import Params
from .photos import resolve_photo
from .state import Chat, Message, World


def check_reachable(world: World, chat: Chat) -> None:
    """Raises what Telegram answers when the bot may not write to ``chat`` right now."""
    if chat.state == "migrated":
        raise ApiError(
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": chat.migrate_to},
        )
    if chat.kind == "private":
        if chat.state == "blocked":
            raise forbidden("bot was blocked by the user")
        if chat.state == "deactivated":
            raise forbidden("user is deactivated")
        return
    noun = f"{chat.kind} chat"
    status = world.bot_status(chat)
    if chat.state == "kicked" or status.status == "kicked":
        raise forbidden(f"bot was kicked from the {noun}")
    if status.status == "left":
        raise forbidden(f"bot is not a member of the {noun}")
    if chat.kind == "channel" and not (
        status.status == "creator"
        or (status.status == "administrator" and status.rights.get("can_post_messages"))
    ):
        raise bad_request("need administrator rights in the channel chat")


def target_chat(world: World, params: Params) -> Chat:
    """The chat named by ``chat_id`` once the bot is known to be able to write there."""
    chat = world.chat(params.chat_ref())
    check_reachable(world, chat)
    return chat


def _check_button(button: Any) -> None:
    if not isinstance(button, dict) or not button.get("text"):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode()) <= 64:
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not str(url).startswith(("http://", "https://", "tg://")):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if len(button) == 1:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )


def read_markup(params: Params) -> dict[str, Any] | None:
    """The ``reply_markup`` of a call, with inline keyboards checked like Telegram does."""
    markup = params.structured("reply_markup", "reply keyboard markup JSON object")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
            )
        for row in rows:
            for button in row:
                _check_button(button)
    return markup


def _inline(markup: dict[str, Any] | None) -> Any:
    return (markup or {}).get("inline_keyboard") or None


def _reply_to(chat: Chat, params: Params) -> int | None:
    reply = params.structured("reply_parameters") or {}
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    if message_id is None:
        message_id = params.integer("reply_to_message_id")
    if message_id is None:
        return None
    replied = chat.messages.get(int(message_id))
    if replied is None or replied.deleted:
        if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


THREAD_NOT_FOUND = "message thread not found"


def message_thread(chat: Chat, thread_id: int | None) -> int | None:
    """The forum topic a message goes to; a 400 for a topic the chat does not have (any
    thread id outside a forum too, which is stricter than Telegram's reply threads)."""
    if thread_id is None:
        return None
    if not chat.is_forum or thread_id not in chat.topics:
        raise bad_request(THREAD_NOT_FOUND)
    return thread_id


def _deliver(world: World, params: Params, build: dict[str, Any]) -> dict[str, Any]:
    """Stores a message from the bot once the flood limits allow it; returns the Message."""
    chat = target_chat(world, params)
    thread_id = message_thread(chat, params.integer("message_thread_id"))
    reply_to = _reply_to(chat, params)
    private = chat.kind == "private"
    paid = params.flag("allow_paid_broadcast")
    world.limiter.check(chat.id, private=private, paid=paid)
    message = world.add_message(chat, world.bot.id, reply_to=reply_to, thread_id=thread_id, **build)
    world.limiter.record(chat.id, private=private, paid=paid)
    return message_object(world, message)


async def send_message(world: World, params: Params) -> dict[str, Any]:
    """sendMessage: checks chat, text and limits, then stores and returns the Message."""
    world.chat(params.chat_ref())
    parse_mode = params.text("parse_mode")
    formatted = format_text(params.text("text"), parse_mode)
    return _deliver(
        world,
        params,
        {
            "text": formatted.text,
            "entities": formatted.entities,
            "source": params.text("text"),
            "parse_mode": parse_mode,
            "reply_markup": read_markup(params),
        },
    )


async def send_photo(world: World, params: Params) -> dict[str, Any]:
    """sendPhoto: an uploaded image or a known file_id, with an optional caption."""
    chat = world.chat(params.chat_ref())
    check_reachable(world, chat)
    parse_mode = params.text("parse_mode")
    caption = format_text(params.text("caption"), parse_mode, caption=True)
    markup = read_markup(params)
    photo = resolve_photo(world, params)
    return _deliver(
        world,
        params,
        {
            "photo": photo,
            "caption": caption.text or None,
            "entities": caption.entities,
            "source": params.text("caption"),
            "parse_mode": parse_mode,
            "reply_markup": markup,
        },
    )


def _editable(world: World, params: Params) -> Message:
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = target_chat(world, params)
    message = chat.messages.get(params.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if message.sender_id != world.bot.id:
        raise bad_request("message can't be edited")
    return message


def _apply_edit(
    world: World,
    message: Message,
    content: Formatted | None,
    params: Params,
    markup: dict[str, Any] | None,
) -> dict[str, Any]:
    """Replaces content and keyboard, or answers "message is not modified" when both match."""
    current = (message.caption or "") if message.photo is not None else message.text
    same_content = content is None or (
        content.text == current and content.entities == message.entities
    )
    if same_content and _inline(markup) == _inline(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    if content is not None:
        if message.photo is not None:
            message.caption = content.text or None
        else:
            message.text = content.text
        message.entities = content.entities
        message.source = params.text("caption" if message.photo is not None else "text")
        message.parse_mode = params.text("parse_mode")
    message.reply_markup = markup
    message.edit_date = world.now()
    message.edits += 1
    return message_object(world, message)


async def edit_message_text(world: World, params: Params) -> dict[str, Any]:
    """editMessageText (a missing reply_markup removes the inline keyboard, as on Telegram)."""
    message = _editable(world, params)
    if message.photo is not None:
        raise bad_request("there is no text in the message to edit")
    content = format_text(params.text("text"), params.text("parse_mode"))
    return _apply_edit(world, message, content, params, read_markup(params))


async def edit_message_caption(world: World, params: Params) -> dict[str, Any]:
    """editMessageCaption (a missing reply_markup removes the inline keyboard)."""
    message = _editable(world, params)
    if message.photo is None:
        raise bad_request("there is no caption in the message to edit")
    content = format_text(params.text("caption"), params.text("parse_mode"), caption=True)
    return _apply_edit(world, message, content, params, read_markup(params))


async def edit_message_media(world: World, params: Params) -> dict[str, Any]:
    """editMessageMedia for photos: a new picture (an upload or a file_id) and caption."""
    message = _editable(world, params)
    media = params.structured("media", "InputMedia")
    if not isinstance(media, dict) or media.get("type") != "photo":
        raise bad_request("can't parse InputMedia: media type is not supported")
    if message.photo is None:
        raise bad_request("there is no media in the message to edit")
    photo = resolve_photo(world, Params({"photo": media.get("media")}, params.files))
    source, parse_mode = media.get("caption"), media.get("parse_mode")
    caption = format_text(source, parse_mode, caption=True)
    markup = read_markup(params)
    if (
        photo[-1]["file_unique_id"] == message.photo[-1]["file_unique_id"]
        and (caption.text or None) == message.caption
        and caption.entities == message.entities
        and _inline(markup) == _inline(message.reply_markup)
    ):
        raise bad_request(NOT_MODIFIED)
    message.photo = photo
    message.caption = caption.text or None
    message.entities = caption.entities
    message.source, message.parse_mode = source, parse_mode
    message.reply_markup = markup
    message.edit_date = world.now()
    message.edits += 1
    return message_object(world, message)


async def edit_message_reply_markup(world: World, params: Params) -> dict[str, Any]:
    """editMessageReplyMarkup (no reply_markup removes the keyboard)."""
    message = _editable(world, params)
    return _apply_edit(world, message, None, params, read_markup(params))


async def delete_message(world: World, params: Params) -> bool:
    """deleteMessage: the bot's own messages, and others' where it may delete them."""
    chat = world.chat(params.chat_ref())
    if chat.state == "migrated":
        check_reachable(world, chat)
    message = chat.messages.get(params.required_int("message_id"))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    status = world.bot_status(chat)
    may_delete_others = (
        chat.kind == "private"
        or status.status == "creator"
        or (status.status == "administrator" and status.rights.get("can_delete_messages"))
    )
    if message.sender_id != world.bot.id and not may_delete_others:
        raise bad_request("message can't be deleted")
    message.deleted = True
    return True
