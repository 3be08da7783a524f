"""A simulated Telegram user driving the real bot through the fake Bot API server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from esvitlo.app import Service
from esvitlo.settings import Settings
from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.testing.fake_telegram.state import Message

from schedule_server import FixtureServer, Reply, shifted_fixture

KYIV_TODAY = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"  # today and tomorrow published


def settings_for(
    fake: FakeTelegram, feed: FixtureServer, database_url: str, tmp: Path, **extra: str
) -> Settings:
    """Settings of a service wired to the fake Telegram, a local feed and a test database."""
    regions = tmp / "regions.toml"
    regions.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n'
        '[[regions]]\nid = "dnipro"\nname_uk = "Дніпро"\nname_en = "Dnipro"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("dnipro.json")}"\n',
        encoding="utf-8",
    )
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    feed.replies["kyiv.json"] = Reply(raw=shifted_fixture(KYIV_TODAY, today))
    values = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": database_url,
        "ESVITLO_REGIONS_FILE": str(regions),
        "ESVITLO_POLL_INTERVAL": "3600",
        "ESVITLO_FETCH_ATTEMPTS": "1",
        "ESVITLO_FETCH_TIMEOUT": "2",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def buttons(message: Message) -> list[tuple[str, str]]:
    """(text, callback data) of every inline button of a message."""
    markup = message.reply_markup or {}
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


def content(message: Message) -> str:
    """The visible text of a message: its text or its caption."""
    return message.text or message.caption or ""


class BotUser:
    """One person in a private chat with the bot."""

    def __init__(self, fake: FakeTelegram, name: str = "Олена", language: str = "uk") -> None:
        self.fake = fake
        self.user = fake.create_user(name, language_code=language)
        self.id = self.user.id

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

    async def _changed(
        self, marker: dict[int, int], expect: str | Callable[[Message], bool]
    ) -> Message:
        def match(message: Message) -> bool:
            fresh = marker.get(message.message_id) != message.edits
            ok = expect(message) if callable(expect) else expect in content(message)
            return fresh and ok

        await self.fake.wait_until(lambda: any(match(m) for m in self.messages()), within=10)
        await self.fake.wait_until(lambda: not self.fake.unanswered_callbacks(), within=10)
        return [m for m in self.messages() if match(m)][-1]

    async def send(self, text: str, expect: str | Callable[[Message], bool]) -> Message:
        """Write to the bot and wait for a new or edited message that shows ``expect``."""
        marker = self._marker()
        self.fake.send_user_message(self.id, text)
        return await self._changed(marker, expect)

    async def press(
        self, label: str, expect: str | Callable[[Message], bool], message: Message | None = None
    ) -> Message:
        """Press the button whose text contains ``label`` (on the newest message by default)."""
        target = message or self.last()
        data = next((d for t, d in buttons(target) if label in t), None)
        assert data is not None, f"no button {label!r} in {buttons(target)}"
        marker = self._marker()
        self.fake.press_button(self.id, target.message_id, data)
        return await self._changed(marker, expect)

    async def press_data(self, data: str, expect: str, message: Message | None = None) -> Message:
        """Press a button by its callback data."""
        target = message or self.last()
        marker = self._marker()
        self.fake.press_button(self.id, target.message_id, data)
        return await self._changed(marker, expect)


def calls_of(fake: FakeTelegram, method: str) -> list[dict[str, object]]:
    """Parameters of every successful call of one Bot API method."""
    return [c.params for c in fake.calls(method) if c.status == 200]


async def start_service(settings: Settings) -> Service:
    """A started service (bot polling, schedule watch)."""
    service = Service(settings)
    await service.start()
    return service


def dump(messages: list[Message]) -> str:
    """A readable dump of messages for assertion messages."""
    return json.dumps([content(m) for m in messages], ensure_ascii=False, indent=1)
