"""Schedule changes become alerts: the watch plans them with the store, the sender delivers them
to the fake Telegram (coalesced, filtered by settings; active channels get one schedule post,
also after a migration)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiogram import Bot
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.domain.alerts import SCHEDULE_ALERT
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.model import RegionSnapshot
from esvitlo.ports import RegionCheck
from esvitlo.services.region_fetcher import FetchResult
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.testing.fake_telegram import FakeTelegram

from delivery_rig import day, deliver_all, make_sender, open_storage, plan, texts_to
from fixture_files import fixtures_dir
from schedule_server import FakeClock

pytest_plugins = ("fake_bot",)

TODAY = date(2025, 11, 9)
TOMORROW = date(2025, 11, 10)
KYIV_FILES = "outage-data-ua/kyiv/2025-11-09T"


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    repositories = await open_storage(tmp_path)
    yield repositories
    await repositories.close()


async def follower(fake: FakeTelegram, storage: SqlStorage, queue: str = "3.1", **prefs: bool):
    """A person following a Kyiv queue, with some settings off; (chat id, subscription id)."""
    telegram_id = fake.create_user("Follower").id
    user = await storage.users.get_or_create(telegram_id, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", queue, "home")
    if prefs:
        await storage.notification_prefs.save(NotificationSettings(user.id, **prefs))
    return telegram_id, sub


async def linked_chat(
    fake: FakeTelegram,
    storage: SqlStorage,
    owner: int,
    sub_id: int,
    kind: str,
    status: ChannelStatus,
) -> int:
    """A channel (or group) of ``owner`` publishing subscription ``sub_id``; its chat id."""
    chat = fake.create_chat(kind, f"{kind} of {owner}", owner_id=owner)  # type: ignore[arg-type]
    user = await storage.users.get_by_telegram_id(owner)
    assert user is not None
    await storage.channels.add_pending(chat.id, user.id, chat.title or "")
    await storage.channels.link(chat.id, sub_id)
    await storage.channels.set_status(chat.id, status)
    return chat.id


async def test_two_changes_before_sending_deliver_only_the_newer(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    user, _ = await follower(fake, storage)
    await plan(storage, TODAY, day(TODAY, (600, 720)))
    await plan(storage, TODAY, day(TODAY, (600, 780)))
    await plan(storage, TODAY, day(TODAY, (600, 840)))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)
    [text] = texts_to(fake, user)
    assert "10:00–14:00" in text and "10:00–13:00" not in text  # told in full: 10–13 never sent
    assert "Опубліковано графік на сьогодні" in text


async def test_a_waiting_message_about_tomorrow_is_restated_with_todays_change(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    user, _ = await follower(fake, storage)
    await plan(storage, TODAY, day(TODAY, (600, 720)))
    await plan(storage, TODAY, day(TODAY, (600, 720)), day(TOMORROW, (0, 240)))
    await plan(storage, TODAY, day(TODAY, (600, 780)), day(TOMORROW, (0, 240)))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)
    [text] = texts_to(fake, user)  # the newer message replaced the one about tomorrow
    assert "Опубліковано графік на сьогодні" in text and "10:00–13:00" in text
    assert "Зʼявився графік на завтра" in text and "00:00–04:00" in text


async def test_settings_and_channel_status_decide_who_gets_what(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    everything, sub = await follower(fake, storage)
    no_changes, _ = await follower(fake, storage, schedule_changes=False)
    no_tomorrow, _ = await follower(fake, storage, tomorrow=False)
    active = await linked_chat(fake, storage, everything, sub.id, "channel", ChannelStatus.ACTIVE)
    paused = await linked_chat(fake, storage, everything, sub.id, "channel", ChannelStatus.PAUSED)
    await plan(storage, TODAY, day(TODAY, (600, 720)))
    await plan(storage, TODAY, day(TODAY, (600, 780)), day(TOMORROW, (0, 240)))
    await deliver_all(make_sender(storage, make_bot(fake)), storage)

    def parts(chat_id: int) -> list[list[str]]:
        """Per message received, the days it tells of."""
        names = {"Змінився графік на сьогодні": "today", "Зʼявився графік на завтра": "tomorrow"}
        return [
            [part for heading, part in names.items() if heading in text]
            for text in texts_to(fake, chat_id)
        ]

    assert parts(everything) == [["today", "tomorrow"]]  # one message, as the channel's post
    assert parts(no_changes) == [["tomorrow"]]
    assert parts(no_tomorrow) == [["today"]]
    [post] = fake.messages_to(active)  # one schedule post for both days
    assert post.photo_file_id is not None
    assert "Оновлено графік на сьогодні й завтра" in (post.caption or "")
    assert fake.messages_to(paused) == []


async def test_a_migrated_group_gets_its_posts_at_the_new_id(
    fake: FakeTelegram, make_bot: Callable[..., Bot], storage: SqlStorage
):
    owner, sub = await follower(fake, storage)
    group = await linked_chat(fake, storage, owner, sub.id, "group", ChannelStatus.ACTIVE)
    await plan(storage, TODAY, day(TODAY, (600, 720)))
    await plan(storage, TODAY, day(TODAY, (600, 780)), day(TOMORROW, (0, 240)))
    supergroup = fake.set_chat_state(group, "migrated").id
    sender = make_sender(storage, make_bot(fake), group=0.05)
    await deliver_all(sender, storage)
    [post] = fake.messages_to(supergroup)
    assert "Оновлено графік на сьогодні й завтра" in (post.caption or "")
    assert len(texts_to(fake, owner)) == 1
    assert sender.stats.migrated >= 1
    moved = await storage.channels.get_by_chat_id(supergroup)
    assert moved is not None and moved.status is ChannelStatus.ACTIVE
    assert moved.last_post_message_id == post.message_id
    assert await storage.channels.get_by_chat_id(group) is None


class StubFetcher:
    """Hands the watch whatever snapshot the test sets."""

    def __init__(self) -> None:
        self.snapshot: RegionSnapshot | None = None
        self.failed = False

    async def fetch(self) -> FetchResult:
        assert self.snapshot is not None
        return FetchResult(self.snapshot, "stub://kyiv", fetch_failed=self.failed)


class NoSink:
    async def region_checked(self, result: RegionCheck) -> None:
        pass


def kyiv_file(name: str) -> RegionSnapshot:
    raw = (fixtures_dir() / f"{KYIV_FILES}{name}.json").read_bytes()
    return parse_document(decode_json(raw), region="kyiv")


async def test_the_watch_plans_real_changes_only(fake: FakeTelegram, storage: SqlStorage):
    changed, _ = await follower(fake, storage, "3.1")
    unchanged, _ = await follower(fake, storage, "1.1")
    fetcher = StubFetcher()
    region = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "stub://"),))
    clock = FakeClock(datetime(2025, 11, 9, 7, 0, tzinfo=UTC))
    watch = ScheduleWatch([region], {"kyiv": fetcher}, storage.schedules, NoSink(), clock)  # type: ignore[dict-item]

    async def rows() -> list[tuple[int, str]]:
        async with storage.engine.connect() as conn:
            query = select(outbox.c.chat_id, outbox.c.kind)
            return [tuple(r) for r in await conn.execute(query)]  # type: ignore[misc]

    fetcher.snapshot = kyiv_file("0633_a256")
    for _ in range(2):  # a baseline, then no change
        await watch.check_region("kyiv")
        assert await rows() == []
    fetcher.snapshot = kyiv_file("1407_a286_error")  # the feed's own error run
    await watch.check_region("kyiv")
    fetcher.snapshot, fetcher.failed = kyiv_file("0838_a265"), True  # a stale copy
    await watch.check_region("kyiv")
    assert await rows() == []
    fetcher.failed = False
    await watch.check_region("kyiv")
    assert await rows() == [(changed, SCHEDULE_ALERT)]
    await watch.check_region("kyiv")
    assert await rows() == [(changed, SCHEDULE_ALERT)]
    assert unchanged != changed
