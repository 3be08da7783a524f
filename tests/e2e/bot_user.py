"""A simulated Telegram user driving the real bot through the fake Bot API server."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from esvitlo.app import Service
from esvitlo.settings import Settings
from esvitlo.testing.chat_user import ChatUser, content
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


BotUser = ChatUser


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
