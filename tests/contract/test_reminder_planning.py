"""Contract: applying a queue's reminder plan to the outbox (ReminderStore), and withdrawing a
changed queue's reminders as its new days are stored (ScheduleStore.save_and_plan)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.catalogue import Region
from esvitlo.domain.delivery import PRIORITY_REMINDER
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.reminder_alerts import QueueReminders, queue_reminders
from esvitlo.domain.reminders import Edge

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
ZONE = ZoneInfo("Europe/Kyiv")
D = date(2025, 11, 9)
WINDOW = timedelta(hours=12)


def at(clock: str, on: date = D) -> datetime:
    h, m = (int(part) for part in clock.split(":"))
    return datetime(on.year, on.month, on.day, h, m, tzinfo=ZONE).astimezone(UTC)


def day(*spans: str, on: date = D) -> DaySchedule:
    def minute(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:])

    return DaySchedule(
        on, DayState.PUBLISHED, tuple(Span(minute(s[:5]), minute(s[6:])) for s in spans)
    )


async def store_days(storage: SqlStorage, *days: DaySchedule, queue: str = "3.1") -> None:
    await storage.schedules.save("kyiv", {queue: {d.date: d for d in days}})


async def plan_at(storage: SqlStorage, now: datetime, queue: str = "3.1") -> QueueReminders:
    stored = await storage.schedules.load("kyiv") or {}
    return queue_reminders(KYIV, queue, (stored.get(queue) or {}).values(), now, WINDOW)


async def apply_at(storage: SqlStorage, clock: str, queue: str = "3.1") -> tuple[int, int]:
    outcome = await storage.reminders.apply_reminders([await plan_at(storage, at(clock), queue)])
    assert outcome.stale == ()
    return outcome.queued, outcome.withdrawn


async def subscriber(
    storage: SqlStorage, telegram_id: int, language: str = "uk", queue: str = "3.1", **prefs: object
) -> int:
    user = await storage.users.get_or_create(telegram_id, language)
    await storage.subscriptions.add(user.id, "kyiv", queue, "home & co")
    if prefs:
        await storage.notification_prefs.save(NotificationSettings(user.id, **prefs))  # type: ignore[arg-type]
    return user.id


async def rows(storage: SqlStorage, status: str | None = "pending") -> list[dict[str, object]]:
    query = select(outbox).order_by(outbox.c.chat_id, outbox.c.due_at)
    if status is not None:
        query = query.where(outbox.c.status == status)
    async with storage.engine.connect() as conn:
        return [dict(row._mapping) for row in await conn.execute(query)]


def who_when(found: list[dict[str, object]]) -> Counter[tuple[object, str]]:
    """(chat, local due time) of each row."""
    return Counter(
        (row["chat_id"], f"{row['due_at'].astimezone(ZONE):%H:%M}")  # type: ignore[union-attr]
        for row in found
    )


async def test_each_subscriber_gets_their_own_lead_times_in_their_language(storage: SqlStorage):
    await subscriber(storage, 1)  # defaults: 15 minutes before an outage
    await subscriber(storage, 2, remind_before_off=(15, 30), remind_before_on=(10,))
    await subscriber(storage, 3, reminders=False, remind_before_off=(15, 30))
    await subscriber(storage, 4)
    await storage.users.set_active(4, False)
    await subscriber(storage, 5, queue="4.1")
    await subscriber(storage, 6, "en-GB")
    await subscriber(storage, 7, remind_before_off=(), remind_before_on=(5,))
    await store_days(storage, day("14:00-18:00"))

    assert await apply_at(storage, "10:00") == (6, 0)
    found = await rows(storage)
    assert who_when(found) == {
        (1, "13:45"): 1,
        (2, "13:30"): 1,
        (2, "13:45"): 1,
        (2, "17:50"): 1,
        (6, "13:45"): 1,
        (7, "17:55"): 1,
    }
    first = found[0]
    assert first["kind"] == "reminder" and first["topic"] == "reminder:kyiv:3.1"
    assert first["idempotency_key"] == "reminder:kyiv:3.1:off:15:20251109T1200Z-20251109T1600Z:1"
    assert first["priority"] == PRIORITY_REMINDER and first["attempts"] == 0
    texts = {row["chat_id"]: row["payload"]["text"] for row in found}  # type: ignore[index]
    # each headed by the subscriber's own name for the address, escaped
    assert texts[1].startswith("🏠 <b>home &amp; co</b> · ⏰ Через <b>15 хв</b> — відключення")
    assert texts[6].startswith("🏠 <b>home &amp; co</b> · ⏰ Outage in <b>15 min</b>: 14:00–18:00")
    assert "⏰ Через <b>5 хв</b> має зʼявитися світло (о 18:00)" in texts[7]


async def test_planning_again_adds_nothing_and_never_requeues_a_sent_reminder(
    storage: SqlStorage,
):
    await subscriber(storage, 1)
    await store_days(storage, day("14:00-18:00"))
    assert await apply_at(storage, "10:00") == (1, 0)
    assert await apply_at(storage, "10:01") == (0, 0)
    async with storage.engine.begin() as conn:
        await conn.execute(update(outbox).values(status="sent"))
    assert await apply_at(storage, "10:02") == (0, 0)
    assert len(await rows(storage, None)) == 1


async def test_no_reminder_for_a_moment_already_past(storage: SqlStorage):
    await subscriber(storage, 1, remind_before_off=(5, 15, 30))
    await store_days(storage, day("14:00-18:00"))
    assert await apply_at(storage, "13:50") == (1, 0)
    assert who_when(await rows(storage)) == {(1, "13:55"): 1}


async def test_a_moved_outage_withdraws_its_reminders_as_it_is_stored(storage: SqlStorage):
    await subscriber(storage, 1, remind_before_on=(10,))
    await store_days(storage, day("14:00-18:00"))
    await apply_at(storage, "10:00")
    await store_days(storage, day("14:00-18:00"))  # the same days: nothing is withdrawn
    assert len(await rows(storage)) == 2

    await store_days(storage, day("15:00-18:00"))
    assert await rows(storage) == []  # withdrawn in the transaction that stored the change
    assert await apply_at(storage, "10:01") == (2, 0)
    assert who_when(await rows(storage)) == {(1, "14:45"): 1, (1, "17:50"): 1}
    assert len(await rows(storage, "superseded")) == 2


async def test_a_schedule_that_flips_back_restores_the_reminders_it_had(storage: SqlStorage):
    await subscriber(storage, 1)
    first, second = day("14:00-18:00"), day("16:00-18:00")
    await store_days(storage, first)
    await apply_at(storage, "10:00")
    await store_days(storage, second)
    await apply_at(storage, "10:05")
    await store_days(storage, first)
    assert await apply_at(storage, "10:10") == (1, 0)  # restored, not added again
    assert who_when(await rows(storage)) == {(1, "13:45"): 1}
    assert len(await rows(storage, None)) == 2


async def test_changed_settings_withdraw_and_restore(storage: SqlStorage):
    user = await subscriber(storage, 1, remind_before_off=(15, 30))
    await store_days(storage, day("14:00-18:00"))
    assert await apply_at(storage, "10:00") == (2, 0)
    await storage.notification_prefs.save(NotificationSettings(user, remind_before_off=(30,)))
    assert await apply_at(storage, "10:01") == (0, 1)
    await storage.notification_prefs.save(NotificationSettings(user, reminders=False))
    assert await apply_at(storage, "10:02") == (0, 1)
    assert await rows(storage) == []
    await storage.notification_prefs.save(NotificationSettings(user, remind_before_off=(15, 30)))
    assert await apply_at(storage, "10:03") == (2, 0)


async def test_a_reminder_due_but_unsent_stands_a_while_then_is_withdrawn(storage: SqlStorage):
    await subscriber(storage, 1)
    today = day("14:00-18:00")
    await store_days(storage, today)
    await apply_at(storage, "13:00")
    await store_days(storage, today, day(on=D + timedelta(days=1)))  # tomorrow appears
    assert await rows(storage) == []
    assert await apply_at(storage, "13:47") == (1, 0)  # due 13:45, still worth sending
    assert await apply_at(storage, "13:53") == (0, 1)  # half its lead time late: withdrawn
    assert await rows(storage) == []


async def test_a_plan_from_days_that_changed_meanwhile_writes_nothing(storage: SqlStorage):
    await subscriber(storage, 1)
    await store_days(storage, day("14:00-18:00"))
    old = await plan_at(storage, at("10:00"))
    await store_days(storage, day("15:00-18:00"))
    outcome = await storage.reminders.apply_reminders([old])
    assert outcome.stale == (("kyiv", "3.1"),) and (outcome.queued, outcome.withdrawn) == (0, 0)
    assert await rows(storage, None) == []


async def test_queues_to_plan_are_followed_ones_and_those_with_reminders_waiting(
    storage: SqlStorage,
):
    first = await subscriber(storage, 1)
    await subscriber(storage, 2, queue="4.1", reminders=False)
    await subscriber(storage, 3, queue="5.2")
    await storage.users.set_active(3, False)
    await store_days(storage, day("14:00-18:00"))
    await apply_at(storage, "10:00")
    [sub] = await storage.subscriptions.list_for_user(first)
    await storage.subscriptions.remove(sub.id, first)
    assert await storage.reminders.reminder_queues() == {"kyiv": ["3.1", "4.1"]}
    assert await apply_at(storage, "10:01") == (0, 1)  # no one follows it: withdrawn
    assert await storage.reminders.reminder_queues() == {"kyiv": ["4.1"]}


async def test_applying_reports_the_lead_times_each_queue_s_followers_want(storage: SqlStorage):
    await subscriber(storage, 1)  # the defaults: 15 minutes before an outage
    await subscriber(storage, 2, remind_before_off=(30,), remind_before_on=(10,))
    await subscriber(storage, 3, reminders=False, remind_before_off=(60,))
    await subscriber(storage, 4, queue="4.1", reminders=False)
    await store_days(storage, day("14:00-18:00"))
    plans = [await plan_at(storage, at("10:00"), queue) for queue in ("3.1", "4.1", "5.2")]
    outcome = await storage.reminders.apply_reminders(plans)
    assert {(region, queue): leads for region, queue, leads in outcome.wanted} == {
        ("kyiv", "3.1"): {(Edge.OFF, 15), (Edge.OFF, 30), (Edge.ON, 10)},
        ("kyiv", "4.1"): frozenset(),
        ("kyiv", "5.2"): frozenset(),
    }
