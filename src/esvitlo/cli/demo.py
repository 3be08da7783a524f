"""``esvitlo demo``: the whole product on this machine, with no token and no internet.

It starts the fake Telegram server, a local schedule feed serving real Kyiv files (moved
to today), and the service; a scripted user subscribes, looks at the schedule and the
timer and connects a channel; then the feed publishes the next real file and the demo
prints what the user and their channel receive.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from esvitlo.adapters.logs import configure_logging
from esvitlo.app import Service
from esvitlo.cli.terminal import terminal_text
from esvitlo.settings import Settings
from esvitlo.testing.chat_user import ChatUser, content
from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.testing.fake_telegram.state import Message
from esvitlo.testing.feed import FeedServer, shift_days

DEMO_FILES = ("1_kyiv_a1212.json", "2_kyiv_a1227.json")
LOG_FILE = Path(tempfile.gettempdir()) / "esvitlo-demo.log"
"""Where the service's log lines go, so that the transcript shows only the conversation."""


def _plain(message: Message) -> str:
    text = terminal_text(content(message))
    return ("[photo] " if message.photo_file_id else "") + text


class Transcript:
    """Prints each chat's new and edited messages once."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self._seen: dict[tuple[int, int], int] = {}

    def show(self, chat_id: int, who: str) -> int:
        """Print what is new in a chat since the last call; how many messages that was."""
        shown = 0
        for message in self._fake.messages_to(chat_id):
            key = (chat_id, message.message_id)
            if self._seen.get(key) == message.edits:
                continue
            self._seen[key] = message.edits
            body = "\n".join(f"    {line}" for line in _plain(message).splitlines())
            print(f"  {who}:\n{body}\n", flush=True)
            shown += 1
        return shown


def _demo_document(name: str) -> bytes:
    return resources.files("esvitlo").joinpath(f"data/demo/{name}").read_bytes()


def _settings(fake: FakeTelegram, feed: FeedServer, folder: Path) -> Settings:
    regions = folder / "regions.toml"
    regions.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n',
        encoding="utf-8",
    )
    values = {
        "BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.base_url,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "ESVITLO_REGIONS_FILE": str(regions),
        "ESVITLO_POLL_INTERVAL": "3600",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        "METRICS_PORT": "0",
        "LOG_LEVEL": "INFO",
    }
    return Settings.model_validate(values)


async def _user_session(user: ChatUser, transcript: Transcript) -> None:
    steps: list[tuple[str, str, str]] = [
        ("send", "/start", "Оберіть ваш регіон"),
        ("press", "Київ", "Оберіть вашу чергу"),
        ("press", "Черга 3.1", "Підписатися"),
        ("press", "Підтвердити", "Готово"),
        ("press", "Графік", "Загалом без світла"),
        ("press", "Таймер", "За графіком зараз"),
    ]
    for action, value, expect in steps:
        print(f"> Олена {'пише' if action == 'send' else 'натискає'}: {value}\n", flush=True)
        if action == "send":
            await user.send(value, expect)
        else:
            await user.press(value, expect)
        transcript.show(user.id, "Бот")


async def _connect_channel(fake: FakeTelegram, user: ChatUser, transcript: Transcript) -> int:
    print("> Олена додає бота адміністратором свого каналу «Світло вдома»\n", flush=True)
    channel = fake.create_chat("channel", "Світло вдома", owner_id=user.id, bot_status="left")
    fake.set_bot_member(channel.id, "administrator", can_post_messages=True, by_user_id=user.id)
    found = await user.wait_for("Мене додано в канал")
    transcript.show(user.id, "Бот")
    print("> Олена натискає: Дім\n", flush=True)
    await user.press("Дім", "підключено", found)
    transcript.show(user.id, "Бот")
    return channel.id


async def _replay(
    service: Service, feed: FeedServer, user: ChatUser, channel: int, transcript: Transcript
) -> None:
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    print("> DTEK публікує оновлення: змінився графік на сьогодні і зʼявився графік на завтра\n")
    feed.documents["kyiv.json"] = shift_days(_demo_document(DEMO_FILES[1]), today)
    await service.watch.check_region("kyiv")
    loop = asyncio.get_running_loop()
    deadline, quiet_since, received = loop.time() + 15, loop.time(), 0
    while loop.time() < deadline:
        new = transcript.show(user.id, "Бот → Олена") + transcript.show(channel, "Бот → канал")
        received += new
        now = loop.time()
        quiet_since = now if new else quiet_since
        if received and now - quiet_since > 2.5:  # every alert is out (the sender spaces them)
            break
        await asyncio.sleep(0.2)
    if not received:
        print("  (no alert arrived within 15 s)\n")


async def run_demo_async() -> int:
    """Run the scripted demo and print the transcript."""
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    feed = FeedServer()
    await feed.start()
    feed.documents["kyiv.json"] = shift_days(_demo_document(DEMO_FILES[0]), today)
    with tempfile.TemporaryDirectory(prefix="esvitlo-demo-") as folder:
        async with FakeTelegram() as fake:
            service = Service(_settings(fake, feed, Path(folder)))
            await service.start()
            try:
                user = ChatUser(fake, "Олена")
                transcript = Transcript(fake)
                await _user_session(user, transcript)
                channel = await _connect_channel(fake, user, transcript)
                await _replay(service, feed, user, channel, transcript)
            finally:
                await service.stop()
                await feed.stop()
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Entry point of ``esvitlo demo``: the transcript on stdout, the service's log in a file."""
    with LOG_FILE.open("w", encoding="utf-8") as log:
        configure_logging("INFO", fmt="console", stream=log)
        try:
            code = asyncio.run(run_demo_async())
        finally:
            configure_logging("WARNING", fmt="console")  # the file is closed next
    print(f"(the service's log: {LOG_FILE})")
    return code
