"""The fake Telegram answers the real aiogram client like Telegram: messages, errors, photos."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from esvitlo.testing.fake_telegram import FakeTelegram, make_png

pytest_plugins = ("fake_bot",)  # the fake and bot fixtures


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=d, callback_data=d) for d in data]]
    )


async def test_get_me_describes_the_bot(fake: FakeTelegram, bot: Bot):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456789, True, "esvitlo_test_bot")
    assert me.can_join_groups is True


async def test_send_message_is_stored_with_html_turned_into_entities(fake, bot):
    user = fake.create_user("Olena")
    sent = await bot.send_message(
        user.id, "<b>Світло</b> &amp; графік", parse_mode="HTML", reply_markup=keyboard("a")
    )
    assert sent.chat.id == user.id and sent.from_user and sent.from_user.is_bot
    assert sent.text == "Світло & графік"
    assert [(e.type, e.offset, e.length) for e in sent.entities or []] == [("bold", 0, 6)]
    [stored] = fake.messages_to(user.id)
    assert stored.message_id == sent.message_id
    assert stored.source == "<b>Світло</b> &amp; графік"
    assert stored.reply_markup == {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    assert [c.method for c in fake.calls()] == ["sendMessage"]


async def test_message_ids_grow_per_chat(fake, bot):
    first, second = fake.create_user(), fake.create_user()
    ids = [(await bot.send_message(chat.id, "x")).message_id for chat in (first, second, first)]
    assert ids == [1, 1, 2]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Є <br>", 'Unsupported start tag "br" at byte offset 3'),
    ],
)
async def test_broken_html_is_refused_with_telegrams_words(fake, bot, text, description):
    user = fake.create_user()
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_message(user.id, text, parse_mode="HTML")
    assert caught.value.message == f"Bad Request: can't parse entities: {description}"
    assert fake.messages_to(user.id) == []


async def test_allowed_tags_pass(fake, bot):
    user = fake.create_user()
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k"
        '</strike><del>d</del><span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler>'
        '<a href="https://e.com/?a=1&amp;b=2">a</a><code>c</code><pre>p</pre>'
        '<pre><code class="language-python">x</code></pre><blockquote>q</blockquote>'
    )
    sent = await bot.send_message(user.id, text, parse_mode="HTML")
    kinds = [e.type for e in sent.entities or []]
    assert "text_link" in kinds and "spoiler" in kinds and "blockquote" in kinds
    link = next(e for e in sent.entities or [] if e.type == "text_link")
    assert link.url == "https://e.com/?a=1&b=2"


async def test_limits_count_characters_after_entity_parsing(fake, bot):
    user = fake.create_user()
    await bot.send_message(user.id, "<b>" + "&lt;" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(user.id, "я" * 4097)


async def test_empty_text_is_refused(fake, bot):
    user = fake.create_user()
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(user.id, "   ")
    with pytest.raises(TelegramBadRequest, match="Bad Request: text must be non-empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")


async def test_unknown_chat_is_not_found(fake, bot):
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(42, "x")


@pytest.mark.parametrize(
    ("state", "description"),
    [
        ("blocked", "Forbidden: bot was blocked by the user"),
        ("deactivated", "Forbidden: user is deactivated"),
    ],
)
async def test_private_chat_states_forbid_sending(fake, bot, state, description):
    user = fake.create_user()
    await bot.send_message(user.id, "before")
    fake.set_chat_state(user.id, state)
    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.send_message(user.id, "after")
    assert caught.value.message == description
    fake.set_chat_state(user.id, "ok")
    await bot.send_message(user.id, "again")


@pytest.mark.parametrize("kind", ["group", "supergroup", "channel"])
async def test_kicked_bot_is_told_which_chat_kind(fake, bot, kind):
    chat = fake.create_chat(kind, "Дім")
    await bot.send_message(chat.id, "hello")
    fake.set_chat_state(chat.id, "kicked")
    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.send_message(chat.id, "x")
    assert caught.value.message == f"Forbidden: bot was kicked from the {kind} chat"


async def test_not_found_state_hides_a_known_chat(fake, bot):
    user = fake.create_user()
    fake.set_chat_state(user.id, "not_found")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(user.id, "x")


async def test_channel_needs_the_right_to_post(fake, bot):
    channel = fake.create_chat("channel", "Світло", username="svitlo")
    fake.set_bot_member(channel.id, "member")
    with pytest.raises(TelegramBadRequest, match="need administrator rights in the channel chat"):
        await bot.send_message(channel.id, "x")
    fake.set_bot_member(channel.id, "administrator", can_post_messages=True)
    sent = await bot.send_message("@svitlo", "x")
    assert sent.sender_chat and sent.sender_chat.id == channel.id and sent.from_user is None


async def test_migrated_group_points_to_the_supergroup(fake, bot):
    group = fake.create_chat("group", "Під'їзд")
    supergroup = fake.set_chat_state(group.id, "migrated")
    assert supergroup.kind == "supergroup" and str(supergroup.id).startswith("-100")
    with pytest.raises(TelegramMigrateToChat) as caught:
        await bot.send_message(group.id, "x")
    assert caught.value.migrate_to_chat_id == supergroup.id
    assert "Bad Request: group chat was upgraded to a supergroup chat" in caught.value.message
    await bot.send_message(supergroup.id, "moved")
    assert [m.text for m in fake.messages_to(supergroup.id)] == ["moved"]


async def test_photo_upload_returns_file_id_and_can_be_resent(fake, bot):
    user = fake.create_user()
    upload = BufferedInputFile(make_png(400, 200), filename="schedule.png")
    sent = await bot.send_photo(user.id, upload, caption="<b>Графік</b>", parse_mode="HTML")
    assert sent.photo and (sent.photo[-1].width, sent.photo[-1].height) == (400, 200)
    assert sent.photo[0].width == 90 and sent.caption == "Графік"
    file_id = sent.photo[-1].file_id
    again = await bot.send_photo(user.id, file_id, caption="again")
    assert again.photo and again.photo[-1].file_id == file_id
    assert [m.photo_file_id for m in fake.messages_to(user.id)] == [file_id, file_id]
    downloaded = await bot.download(file_id)
    assert downloaded is not None and downloaded.read() == make_png(400, 200)


async def test_photo_errors(fake, bot):
    user = fake.create_user()
    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await bot.send_photo(user.id, "AgACAgIAAxkBunknown")
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(user.id, BufferedInputFile(b"not an image", filename="x.png"))
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(user.id, BufferedInputFile(make_png(), "x.png"), caption="x" * 1025)


async def test_edit_text_and_not_modified(fake, bot):
    user = fake.create_user()
    sent = await bot.send_message(
        user.id, "<b>v1</b>", parse_mode="HTML", reply_markup=keyboard("a")
    )
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.edit_message_text(
            text="<b>v1</b>",
            chat_id=user.id,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    assert caught.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    edited = await bot.edit_message_text(text="v2", chat_id=user.id, message_id=sent.message_id)
    assert not isinstance(edited, bool) and edited.edit_date is not None
    [stored] = fake.messages_to(user.id)
    assert (stored.text, stored.reply_markup, stored.edits) == ("v2", None, 1)


async def test_edit_caption_and_reply_markup(fake, bot):
    user = fake.create_user()
    photo = await bot.send_photo(user.id, BufferedInputFile(make_png(), "p.png"), caption="old")
    await bot.edit_message_caption(chat_id=user.id, message_id=photo.message_id, caption="new")
    await bot.edit_message_reply_markup(
        chat_id=user.id, message_id=photo.message_id, reply_markup=keyboard("x", "y")
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=user.id, message_id=photo.message_id, reply_markup=keyboard("x", "y")
        )
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text(text="t", chat_id=user.id, message_id=photo.message_id)
    [stored] = fake.messages_to(user.id)
    assert stored.caption == "new"
    assert [b["callback_data"] for b in stored.reply_markup["inline_keyboard"][0]] == ["x", "y"]


async def test_delete_message(fake, bot):
    user = fake.create_user()
    sent = await bot.send_message(user.id, "bye")
    assert await bot.delete_message(user.id, sent.message_id) is True
    assert fake.messages_to(user.id) == []
    assert [m.deleted for m in fake.messages_to(user.id, include_deleted=True)] == [True]
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text(text="x", chat_id=user.id, message_id=sent.message_id)


async def test_callback_data_longer_than_64_bytes_is_refused(fake, bot):
    user = fake.create_user()
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "x", reply_markup=keyboard("ж" * 33))


async def test_unknown_token_is_unauthorized(fake, make_bot):
    stranger = make_bot(fake, token="42:nope")
    with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
        await stranger.get_me()


async def test_unknown_method_is_not_found_and_json_bodies_work(fake):
    user = fake.create_user()
    async with aiohttp.ClientSession() as http:
        url = f"{fake.base_url}/bot{fake.token}"
        async with http.post(f"{url}/sendTelepathy", json={}) as resp:
            assert resp.status == 404
            assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.post(f"{url}/SENDMESSAGE", json={"chat_id": user.id, "text": "hi"}) as resp:
            assert resp.status == 200 and (await resp.json())["result"]["text"] == "hi"
        async with http.post(
            f"{url}/sendMessage", data={"chat_id": str(user.id), "text": "y"}
        ) as r:
            assert (await r.json())["result"]["message_id"] == 2
