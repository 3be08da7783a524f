"""Contract: power monitors, their state saves (compare-and-set), outage history, power alerts
queued with the state, and heartbeats, on every backend."""

from __future__ import annotations

from datetime import timedelta

from sql_backends import START, StepClock
from sqlalchemy import select
from test_change_planning import channel, subscriber

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.delivery import PRIORITY_POWER
from esvitlo.domain.monitors import MonitorKind, PowerMessage, PowerOutage, hash_secret
from esvitlo.domain.power import Power, PowerState, Transition

MINUTE = timedelta(minutes=1)
SECRET = "s3cret-heartbeat-token-0123456789"
SECRET_HASH = hash_secret(SECRET)


async def probe_monitor(storage: SqlStorage, telegram_id: int = 1, target: str = "8.8.8.8"):
    user = await storage.users.get_or_create(telegram_id, "uk")
    subs = await storage.subscriptions.list_for_user(user.id)
    sub_id = subs[0].id if subs else await subscriber(storage, telegram_id)
    return await storage.monitors.add(user.id, sub_id, MonitorKind.PROBE, target, None, MINUTE)


async def power_rows(storage: SqlStorage) -> list[dict]:
    query = select(outbox).where(outbox.c.kind == "power").order_by(outbox.c.id)
    async with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(query)]


def on_since(minutes: int) -> PowerState:
    return PowerState(Power.ON, START + minutes * MINUTE, since_exact=True)


def off_since(minutes: int) -> PowerState:
    return PowerState(Power.OFF, START + minutes * MINUTE, since_exact=True)


async def test_monitors_belong_to_their_user(storage: SqlStorage):
    monitor = await probe_monitor(storage, 1)
    other = await storage.users.get_or_create(2, "en")
    assert monitor.state == PowerState() and monitor.target == "8.8.8.8"
    assert await storage.monitors.list_for_user(monitor.user_id) == [monitor]
    assert await storage.monitors.get(monitor.id, other.id) is None
    assert not await storage.monitors.remove(monitor.id, other.id)
    assert not await storage.monitors.set_notify(
        monitor.id, other.id, notify_user=False, notify_channel=False
    )
    assert await storage.monitors.set_notify(
        monitor.id, monitor.user_id, notify_user=False, notify_channel=True
    )
    changed = await storage.monitors.get(monitor.id, monitor.user_id)
    assert changed is not None and (changed.notify_user, changed.notify_channel) == (False, True)
    assert await storage.monitors.count_for_user(monitor.user_id) == 1
    assert await storage.monitors.remove(monitor.id, monitor.user_id)
    assert await storage.monitors.count_for_user(monitor.user_id) == 0


async def test_watched_names_the_owner_the_address_and_active_linked_channels(
    storage: SqlStorage,
):
    monitor = await probe_monitor(storage, 1)
    assert monitor.subscription_id is not None
    await channel(storage, -100_1, monitor.subscription_id, ChannelStatus.ACTIVE)
    await channel(storage, -100_2, monitor.subscription_id, ChannelStatus.ACTIVE)
    await channel(storage, -100_3, monitor.subscription_id, ChannelStatus.PAUSED)
    [(watched, version)] = await storage.power.watched()
    assert (watched.chat_id, watched.language, watched.region, watched.queue, watched.label) == (
        1,
        "uk",
        "kyiv",
        "3.1",
        "home",
    )
    assert sorted(watched.channel_chat_ids) == [-100_2, -100_1]
    assert version == 0

    await storage.monitors.set_notify(
        monitor.id, monitor.user_id, notify_user=False, notify_channel=False
    )
    await storage.users.set_active(1, False)
    [(watched, _)] = await storage.power.watched()
    assert watched.chat_id is None and watched.channel_chat_ids == ()


async def test_save_is_compare_and_set_on_the_version(storage: SqlStorage):
    monitor = await probe_monitor(storage)
    assert await storage.power.save(monitor.id, 0, on_since(0))
    assert not await storage.power.save(monitor.id, 0, off_since(1))  # someone else moved it
    [(watched, version)] = await storage.power.watched()
    assert watched.monitor.state == on_since(0) and version == 1
    pending = PowerState(Power.ON, START, True, Power.OFF, START + MINUTE, START + MINUTE, 1)
    assert await storage.power.save(monitor.id, 1, pending)
    [(watched, version)] = await storage.power.watched()
    assert watched.monitor.state == pending and version == 2


async def test_outage_history_follows_the_state(storage: SqlStorage):
    monitor = await probe_monitor(storage)
    store, history = storage.power, storage.monitors
    await store.save(monitor.id, 0, PowerState(Power.OFF, START, since_exact=False))  # cold start
    await store.save(monitor.id, 1, on_since(10))
    await store.save(monitor.id, 2, off_since(30))
    await store.save(monitor.id, 3, off_since(30))  # a pending-only save opens nothing new
    window = (START - MINUTE, START + 60 * MINUTE)
    assert await history.outages(monitor.id, *window) == [
        PowerOutage(START, START + 10 * MINUTE, start_exact=False),
        PowerOutage(START + 30 * MINUTE, None),
    ]
    await store.save(monitor.id, 4, on_since(45))
    assert (await history.outages(monitor.id, *window))[-1] == PowerOutage(
        START + 30 * MINUTE, START + 45 * MINUTE
    )
    # the window selects overlapping outages only
    assert await history.outages(monitor.id, START + 11 * MINUTE, START + 29 * MINUTE) == []
    assert len(await history.outages(monitor.id, START + 5 * MINUTE, START + 31 * MINUTE)) == 2


async def test_a_transition_queues_its_alerts_once(storage: SqlStorage, clock: StepClock):
    monitor = await probe_monitor(storage)
    transition = Transition(Power.OFF, START + MINUTE, START)
    messages = [PowerMessage(1, "off at 12:01"), PowerMessage(-100_1, "off", is_channel=True)]
    assert await storage.power.save(monitor.id, 0, off_since(1), transition, messages)
    rows = await power_rows(storage)
    assert [(r["chat_id"], r["payload"]["text"], r["priority"]) for r in rows] == [
        (1, "off at 12:01", PRIORITY_POWER),
        (-100_1, "off", PRIORITY_POWER),
    ]
    assert {r["status"] for r in rows} == {"pending"}
    # the same transition saved again (a retry after a lost answer) adds nothing
    assert await storage.power.save(monitor.id, 1, off_since(1), transition, messages)
    assert len(await power_rows(storage)) == 2
    # a lost race writes nothing at all
    clock.advance(minutes=5)
    back = Transition(Power.ON, START + 5 * MINUTE, START + MINUTE)
    assert not await storage.power.save(monitor.id, 0, on_since(5), back, [PowerMessage(1, "back")])
    assert len(await power_rows(storage)) == 2


async def test_heartbeats_are_noted_for_known_secrets_only(storage: SqlStorage):
    user = await storage.users.get_or_create(1, "uk")
    sub_id = await subscriber(storage, 1)
    beat = await storage.monitors.add(
        user.id, sub_id, MonitorKind.HEARTBEAT, "", SECRET_HASH, timedelta(seconds=30)
    )
    probe = await probe_monitor(storage, 1)
    assert beat.beat_every == timedelta(seconds=30)
    assert await storage.power.record_beat(SECRET_HASH, START + MINUTE)
    assert not await storage.power.record_beat(SECRET, START)  # looked up by the hash only
    assert not await storage.power.record_beat(hash_secret("no-such-secret-0123456789"), START)
    assert not await storage.power.record_beat(probe.target, START)
    got = await storage.monitors.get(beat.id, user.id)
    assert got is not None and got.last_beat_at == START + MINUTE


async def test_deleting_the_user_or_the_address_deletes_monitors_and_history(
    storage: SqlStorage,
):
    monitor = await probe_monitor(storage)
    await storage.power.save(monitor.id, 0, off_since(0))
    assert monitor.subscription_id is not None
    await storage.subscriptions.remove(monitor.subscription_id, monitor.user_id)
    assert await storage.monitors.list_for_user(monitor.user_id) == []
    assert await storage.monitors.outages(monitor.id, START, START + MINUTE) == []
    again = await probe_monitor(storage)
    await storage.power.save(again.id, 0, off_since(0))
    await storage.users.delete(again.user_id)
    assert await storage.power.watched() == []
