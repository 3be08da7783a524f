"""A simulated Telegram user driving a real bot through the fake Bot API server."""

from __future__ import annotations

from collections.abc import Callable

from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.testing.fake_telegram.state import Message

Expectation = str | Callable[[Message], bool]


def buttons(message: Message) -> list[tuple[str, str]]:
    """(text, callback data) of every inline button of a message."""
    markup = message.reply_markup or {}
    rows = markup.get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def content(message: Message) -> str:
    """The visible text of a message: its text or its caption."""
    return message.text or message.caption or ""


class ChatUser:
    """One person in a private chat with the bot; every action waits for the bot's answer."""

    def __init__(
        self, fake: FakeTelegram, name: str = "Олена", language: str = "uk", within: float = 10
    ) -> None:
        self.fake = fake
        self.user = fake.create_user(name, language_code=language)
        self.id = self.user.id
        self.within = within

    def messages(self) -> list[Message]:
        """The bot's messages in this chat as they are now."""
        try:
            return self.fake.messages_to(self.id)
        except (KeyError, ValueError):
            return []

    def last(self) -> Message:
        """The newest bot message."""
        return self.messages()[-1]

    def _marker(self) -> dict[int, int]:
        return {m.message_id: m.edits for m in self.messages()}

    async def _changed(self, marker: dict[int, int], expect: Expectation) -> Message:
        def match(message: Message) -> bool:
            fresh = marker.get(message.message_id) != message.edits
            ok = expect(message) if callable(expect) else expect in content(message)
            return fresh and ok

        await self.fake.wait_until(lambda: any(match(m) for m in self.messages()), self.within)
        await self.fake.wait_until(lambda: not self.fake.unanswered_callbacks(), self.within)
        return [m for m in self.messages() if match(m)][-1]

    async def send(self, text: str, expect: Expectation) -> Message:
        """Write to the bot and wait for a new or edited message that shows ``expect``."""
        marker = self._marker()
        self.fake.send_user_message(self.id, text)
        return await self._changed(marker, expect)

    async def press(
        self, label: str, expect: Expectation, message: Message | None = None
    ) -> Message:
        """Press the button whose text contains ``label`` (on the newest message by default)."""
        target = message or self.last()
        data = next((d for t, d in buttons(target) if label in t), None)
        if data is None:
            shown = content(target)[:300]
            raise LookupError(f"no button {label!r} in {buttons(target)} on {shown!r}")
        marker = self._marker()
        self.fake.press_button(self.id, target.message_id, data)
        return await self._changed(marker, expect)

    async def wait_for(self, text: str) -> Message:
        """A message the bot sends on its own (an alert, a notice), not as an answer."""
        return await self.fake.wait_for_message(self.id, lambda m: text in content(m), self.within)
