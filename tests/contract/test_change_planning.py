"""Contract: storing a change and queueing its alerts in one step (ScheduleStore.save_and_plan)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import select

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.domain.alert_messages import AlertMessage
from esvitlo.domain.alerts import SCHEDULE_ALERT, ChangeAlert, change_alerts
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import ChangeKind, check_queue
from esvitlo.domain.channel_posts import channel_posts
from esvitlo.domain.delivery import PRIORITY_TODAY, PRIORITY_TOMORROW
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.ports import ScheduleStore

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
TODAY = date(2025, 11, 9)
TOMORROW = date(2025, 11, 10)
NOW = datetime(2025, 11, 9, 10, 0, tzinfo=UTC)  # noon in Kyiv


def day(on: date, *spans: tuple[int, int], state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(Span(a, b) for a, b in spans))


async def advance(store: ScheduleStore, *days: DaySchedule, queue: str = "3.1") -> int:
    """What the watch does for one queue: check the new days, then save and plan."""
    stored = await store.load("kyiv")
    schedule = QueueSchedule(queue, None, days)
    check = check_queue(None if stored is None else stored.get(queue), schedule, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {queue: schedule})
    alerts = change_alerts(KYIV, snapshot, {queue: check}, TODAY)
    posts = channel_posts(KYIV, snapshot, {queue: check}, NOW)
    assert check.keep is not None
    return await store.save_and_plan("kyiv", {queue: check.keep}, alerts, posts)


async def outbox_rows(storage: SqlStorage, status: str | None = None) -> list[dict[str, object]]:
    query = select(outbox).order_by(outbox.c.id)
    if status is not None:
        query = query.where(outbox.c.status == status)
    async with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(query)]


async def subscriber(
    storage: SqlStorage, telegram_id: int, language: str = "uk", queue: str = "3.1", **prefs: bool
) -> int:
    user = await storage.users.get_or_create(telegram_id, language)
    sub = await storage.subscriptions.add(user.id, "kyiv", queue, "home")
    if prefs:
        await storage.notification_prefs.save(NotificationSettings(user.id, **prefs))
    return sub.id


async def channel(storage: SqlStorage, chat_id: int, sub_id: int, status: ChannelStatus) -> None:
    sub_owner = await storage.users.get_or_create(1, "uk")
    owned = await storage.subscriptions.list_for_user(sub_owner.id)
    assert any(s.id == sub_id for s in owned), "channels link their owner's subscription"
    await storage.channels.add_pending(chat_id, sub_owner.id, f"channel {chat_id}")
    await storage.channels.link(chat_id, sub_id)
    await storage.channels.set_status(chat_id, status)


async def test_recipients_follow_subscriptions_settings_activity_and_channel_status(
    storage: SqlStorage,
):
    owner_sub = await subscriber(storage, 1)
    await subscriber(storage, 2, "en")
    await subscriber(storage, 3, schedule_changes=False)
    await subscriber(storage, 4, tomorrow=False)
    await subscriber(storage, 5)
    await storage.users.set_active(5, False)
    await subscriber(storage, 6, queue="4.1")
    await subscriber(storage, 7, schedule_changes=False, tomorrow=False)
    for chat_id, status in [
        (-100_1, ChannelStatus.ACTIVE),
        (-100_2, ChannelStatus.PAUSED),
        (-100_3, ChannelStatus.PENDING),
        (-100_4, ChannelStatus.LOST),
    ]:
        await channel(storage, chat_id, owner_sub, status)

    assert await advance(storage.schedules, day(TODAY, (600, 720))) == 0  # baseline
    queued = await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    rows = await outbox_rows(storage)
    assert queued == len(rows)
    # one message per follower for the check, as channels get one post
    assert sorted(int(row["chat_id"]) for row in rows) == [-100_1, 1, 2, 3, 4]
    by_chat = {int(row["chat_id"]): row for row in rows}
    assert {row["kind"] for row in rows} == {SCHEDULE_ALERT, "channel_post"}
    assert by_chat[-100_1]["kind"] == "channel_post"
    text = {chat: row["payload"].get("text") or "" for chat, row in by_chat.items()}
    assert "Kyiv" in text[2] and "Київ" not in text[2]
    for everything in (text[1], text[2]):  # both days, today first
        assert everything.index("10:00–13:00") < everything.index("01:00–02:00")
    assert "Зʼявився графік на завтра" in text[3] and "Змінився" not in text[3]
    assert "Змінився графік на сьогодні" in text[4] and "на завтра" not in text[4]
    assert "01:00–02:00" not in text[4]
    priorities = {chat: row["priority"] for chat, row in by_chat.items()}
    assert priorities == {  # the most urgent part a follower gets
        1: PRIORITY_TODAY,
        2: PRIORITY_TODAY,
        3: PRIORITY_TOMORROW,
        4: PRIORITY_TODAY,
        -100_1: PRIORITY_TODAY,
    }
    assert {row["status"] for row in rows} == {"pending"}
    assert {row["topic"] for row in rows} == {"schedule:kyiv:3.1", "channel:kyiv:3.1"}


async def test_one_check_changing_two_days_is_one_message(storage: SqlStorage):
    await subscriber(storage, 1)
    await advance(storage.schedules, day(TODAY, (600, 720)), day(TOMORROW, state=DayState.PENDING))
    assert await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 120))) == 1
    [row] = await outbox_rows(storage)
    text = row["payload"]["text"]
    assert text.count("Київ · Черга 3.1") == 1
    assert text.index("Змінився графік на сьогодні") < text.index("Зʼявився графік на завтра")
    assert "Було 10:00–12:00, стало 10:00–13:00" in text


async def test_planning_the_same_change_twice_adds_nothing(storage: SqlStorage):
    for telegram_id in (1, 2, 3):
        await subscriber(storage, telegram_id)
    await advance(storage.schedules, day(TODAY, (600, 720)))
    stored = await storage.schedules.load("kyiv")
    assert stored is not None
    new = QueueSchedule("3.1", None, (day(TODAY, (600, 780)), day(TOMORROW, (60, 120))))
    check = check_queue(stored["3.1"], new, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": new})
    alerts = change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)
    assert check.keep is not None and len(alerts) == 1 and len(alerts[0].parts) == 2

    assert await storage.schedules.save_and_plan("kyiv", {"3.1": check.keep}, alerts) == 3
    assert await storage.schedules.save_and_plan("kyiv", {"3.1": check.keep}, alerts) == 0
    user = await storage.users.get_by_telegram_id(2)
    assert user is not None  # new settings pick another version: still the same message
    await storage.notification_prefs.save(NotificationSettings(user.id, tomorrow=False))
    assert await storage.schedules.save_and_plan("kyiv", {"3.1": check.keep}, alerts) == 0
    rows = await outbox_rows(storage)
    assert Counter(row["chat_id"] for row in rows) == {1: 1, 2: 1, 3: 1}
    assert {row["status"] for row in rows} == {"pending"}


async def test_a_newer_change_replaces_the_one_still_waiting(storage: SqlStorage):
    await subscriber(storage, 1)
    await subscriber(storage, 2, schedule_changes=False)
    await advance(storage.schedules, day(TODAY, (600, 720)))
    await advance(storage.schedules, day(TODAY, (600, 720)), day(TOMORROW, (60, 120)))
    await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    waiting = await outbox_rows(storage, "pending")
    assert sorted(row["chat_id"] for row in waiting) == [1, 2]  # 2 does not want changes
    [superseded] = await outbox_rows(storage, "superseded")
    assert superseded["chat_id"] == 1 and "01:00–02:00" in superseded["payload"]["text"]
    text = {row["chat_id"]: row["payload"]["text"] for row in waiting}
    # user 1 never saw tomorrow's schedule: the newer message tells both days in full
    assert "Опубліковано графік на сьогодні" in text[1] and "10:00–13:00" in text[1]
    assert "Зʼявився графік на завтра" in text[1] and "01:00–02:00" in text[1]
    assert "Було" not in text[1]
    assert text[2] == superseded["payload"]["text"]  # the same first announcement


async def test_with_nothing_waiting_a_change_is_told_as_a_change(storage: SqlStorage):
    await subscriber(storage, 1)
    await advance(storage.schedules, day(TODAY, (600, 720)), day(TOMORROW, (60, 120)))
    await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    [row] = await outbox_rows(storage)
    text = row["payload"]["text"]
    assert "Змінився графік на сьогодні" in text and "Було 10:00–12:00, стало 10:00–13:00" in text
    assert "01:00–02:00" not in text  # tomorrow did not change: not told again


async def test_a_schedule_that_flips_back_and_forth_alerts_every_time(storage: SqlStorage):
    await subscriber(storage, 1)
    first, second = day(TODAY, (600, 720)), day(TODAY, (600, 780))
    await advance(storage.schedules, first)
    assert [await advance(storage.schedules, d) for d in (second, first, second)] == [1, 1, 1]
    keys = [row["idempotency_key"] for row in await outbox_rows(storage)]
    assert len(set(keys)) == 3
    assert len(await outbox_rows(storage, "pending")) == 1


async def test_nothing_is_planned_without_alerts(storage: SqlStorage):
    await subscriber(storage, 1)
    assert await advance(storage.schedules, day(TODAY, (600, 720))) == 0
    assert await advance(storage.schedules, day(TODAY, (600, 720))) == 0
    assert await storage.schedules.save_and_plan("kyiv", {}, []) == 0
    assert await outbox_rows(storage) == []


async def test_memory_store_records_the_alerts():
    store = MemoryScheduleStore()
    await advance(store, day(TODAY, (600, 720)))
    await advance(store, day(TODAY, (600, 780)))
    [alert] = store.planned
    assert isinstance(alert, ChangeAlert)
    assert (alert.kind, alert.topic) == (SCHEDULE_ALERT, "schedule:kyiv:3.1")
    assert [(part.kind, part.date) for part in alert.parts] == [(ChangeKind.TODAY_CHANGED, TODAY)]
    stored = await store.load("kyiv")
    assert stored is not None and stored["3.1"][TODAY] == day(TODAY, (600, 780))


async def test_each_message_carries_the_picture_and_the_recipients_own_buttons(
    storage: SqlStorage,
):
    subs = {1: await subscriber(storage, 1), 2: await subscriber(storage, 2, language="en")}
    await advance(storage.schedules, day(TODAY, (600, 720)))
    await advance(storage.schedules, day(TODAY, (600, 780)))
    rows = {row["chat_id"]: row["payload"] for row in await outbox_rows(storage)}
    for chat_id, payload in rows.items():
        message = AlertMessage.from_payload(payload)
        timer, schedule = (button.data for button in message.keyboard[0])
        assert (timer, schedule) == (f"ad:timer:{subs[chat_id]}", f"ad:schedule:{subs[chat_id]}")
        assert message.picture is not None and payload["photo"]["key"] == message.picture.key
        assert message.picture.highlight == {TODAY: (Span(600, 780),)}
    assert [b.text for b in AlertMessage.from_payload(rows[2]).keyboard[1]] == ["⚙️ Settings"]
    english = AlertMessage.from_payload(rows[2]).picture
    assert english is not None and english.picture.lang == "en"
