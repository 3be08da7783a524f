"""Contract: storing a change and queueing its alerts in one step (ScheduleStore.save_and_plan)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import select

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.domain.alerts import ChangeAlert, change_alerts
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
    by_kind: dict[str, set[int]] = {}
    for row in rows:
        by_kind.setdefault(str(row["kind"]), set()).add(int(row["chat_id"]))
    assert by_kind == {
        ChangeKind.TODAY_CHANGED.value: {1, 2, 4},
        ChangeKind.TOMORROW_APPEARED.value: {1, 2, 3},
        "channel_post": {-100_1},  # one post for both days, active channels only
    }
    texts = {(row["chat_id"], row["kind"]): row["payload"].get("text") for row in rows}
    assert "Kyiv" in texts[2, "today_changed"] and "Київ" not in texts[2, "today_changed"]
    assert "Київ" in texts[1, "today_changed"]
    priorities = {row["kind"]: row["priority"] for row in rows}
    assert priorities == {
        "today_changed": PRIORITY_TODAY,
        "tomorrow_appeared": PRIORITY_TOMORROW,
        "channel_post": PRIORITY_TODAY,
    }
    assert {row["status"] for row in rows} == {"pending"}
    assert {row["topic"] for row in rows} == {
        "schedule:kyiv:3.1:2025-11-09",
        "schedule:kyiv:3.1:2025-11-10",
        "channel:kyiv:3.1",
    }


async def test_planning_the_same_change_twice_adds_nothing(storage: SqlStorage):
    for telegram_id in (1, 2, 3):
        await subscriber(storage, telegram_id)
    await advance(storage.schedules, day(TODAY, (600, 720)))
    stored = await storage.schedules.load("kyiv")
    assert stored is not None
    new = day(TODAY, (600, 780))
    check = check_queue(stored["3.1"], QueueSchedule("3.1", None, (new,)), TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": QueueSchedule("3.1", None, (new,))})
    alerts = change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)
    assert check.keep is not None and len(alerts) == 1

    assert await storage.schedules.save_and_plan("kyiv", {"3.1": check.keep}, alerts) == 3
    assert await storage.schedules.save_and_plan("kyiv", {"3.1": check.keep}, alerts) == 0
    rows = await outbox_rows(storage)
    assert Counter(row["chat_id"] for row in rows) == {1: 1, 2: 1, 3: 1}
    assert {row["status"] for row in rows} == {"pending"}


async def test_a_newer_change_replaces_the_one_still_waiting(storage: SqlStorage):
    await subscriber(storage, 1)
    await subscriber(storage, 2, schedule_changes=False)
    await advance(storage.schedules, day(TODAY, (600, 720)))
    await advance(storage.schedules, day(TODAY, (600, 720)), day(TOMORROW, (60, 120)))
    await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 180)))
    waiting = await outbox_rows(storage, "pending")
    assert sorted((row["chat_id"], row["kind"]) for row in waiting) == [
        (1, "today_changed"),
        (1, "tomorrow_changed"),
        (2, "tomorrow_appeared"),  # user 2 does not get the change, so keeps what they had
    ]
    [superseded] = await outbox_rows(storage, "superseded")
    assert (superseded["chat_id"], superseded["kind"]) == (1, "tomorrow_appeared")
    text = {row["kind"]: row["payload"]["text"] for row in waiting if row["chat_id"] == 1}
    # tomorrow's first version never reached user 1, so the change is told as an announcement
    assert "Зʼявився графік на завтра" in text["tomorrow_changed"]
    assert "01:00–03:00" in text["tomorrow_changed"] and "Було" not in text["tomorrow_changed"]
    assert "Змінився графік на сьогодні" in text["today_changed"]  # nothing waited: a diff
    assert "Додано відключення: 12:00–13:00" in text["today_changed"]


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
    assert (alert.kind, alert.topic) == (ChangeKind.TODAY_CHANGED, "schedule:kyiv:3.1:2025-11-09")
    stored = await store.load("kyiv")
    assert stored is not None and stored["3.1"][TODAY] == day(TODAY, (600, 780))
