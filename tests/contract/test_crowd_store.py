"""Contract: the crowd signal's storage on every backend: counts by distinct users over every
monitor, the queue's other users, episodes, and alerts to the opted-in subscribers and linked
channels (the default depends on having a monitor), once per episode and edge."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sql_backends import START
from sqlalchemy import select, update
from test_change_planning import channel, subscriber
from test_power_store import MINUTE, off_since, on_since, probe_monitor

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors, outbox, users
from esvitlo.bot.keyboards import _crowd_label
from esvitlo.domain.accounts import ChannelStatus, NotificationSettings
from esvitlo.domain.crowd import (
    CrowdCount,
    CrowdEdge,
    CrowdStatus,
    Episode,
    QueueOthers,
    others_of,
)
from esvitlo.domain.crowd_render import EpisodeMove, crowd_alert
from esvitlo.domain.delivery import PRIORITY_EMERGENCY, PRIORITY_TODAY
from esvitlo.domain.power import Power, PowerState
from esvitlo.domain.texts import bot_texts_for
from esvitlo.services.preferences import AlertKind, PreferenceService

KYIV = ZoneInfo("Europe/Kyiv")


async def _set(storage: SqlStorage, monitor_id: int, state: PowerState) -> None:
    async with storage.engine.begin() as conn:
        await conn.execute(
            update(monitors)
            .where(monitors.c.id == monitor_id)
            .values(power=state.power.value, since=state.since, pending=state.pending)
        )


async def test_counts_are_by_distinct_users_per_queue_with_fresh_offs(storage: SqlStorage):
    a = await probe_monitor(storage, 1, "8.8.8.8")
    a2 = await probe_monitor(storage, 1, "8.8.4.4")  # the same home twice: one voice
    b = await probe_monitor(storage, 2)
    c = await probe_monitor(storage, 3)
    await probe_monitor(storage, 4)  # unknown
    await subscriber(storage, 5, queue="4.1")
    e = await probe_monitor(storage, 5)
    await _set(storage, a.id, off_since(10))
    await _set(storage, a2.id, off_since(11))
    await _set(storage, b.id, off_since(0))  # off for long
    await _set(storage, c.id, on_since(0))
    await _set(storage, e.id, on_since(3))
    counts = {c.key: c for c in await storage.crowd.counts(START + 5 * MINUTE)}
    assert counts == {
        ("kyiv", "3.1"): CrowdCount("kyiv", "3.1", 4, 3, 1, 2, 1, START + 11 * MINUTE),
        ("kyiv", "4.1"): CrowdCount("kyiv", "4.1", 1, 1, 1, 0, 0, START + 3 * MINUTE),
    }
    members = await storage.crowd.members("kyiv", "3.1")
    assert others_of(members, a.user_id) == QueueOthers(known=2, on=1, off=1)
    await _set(storage, c.id, PowerState(Power.ON, START, pending=Power.OFF))
    members = await storage.crowd.members("kyiv", "3.1")
    assert others_of(members, a.user_id) == QueueOthers(known=2, on=0, off=2)
    assert len(members) == 5 and {m.power for m in members} == set(Power)


async def _recipients(storage: SqlStorage) -> list[tuple[int, str, int]]:
    query = select(outbox.c.chat_id, outbox.c.payload, outbox.c.priority).order_by(outbox.c.chat_id)
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(query.where(outbox.c.kind == "crowd"))).all()
    return [(row.chat_id, row.payload["text"][:2], row.priority) for row in rows]


async def test_alerts_reach_opted_in_subscribers_and_linked_channels_once(storage: SqlStorage):
    owner_sub = await subscriber(storage, 1)  # no monitor, no settings: on by default
    await probe_monitor(storage, 2)  # has a monitor: off by default
    await probe_monitor(storage, 3)
    user3 = await storage.users.get_or_create(3, "uk")
    await storage.notification_prefs.save(NotificationSettings(user3.id, crowd=True))
    await subscriber(storage, 4, crowd=False)  # said no
    await subscriber(storage, 5, "en")  # English
    await subscriber(storage, 6)
    async with storage.engine.begin() as conn:  # blocked the bot
        await conn.execute(update(users).where(users.c.telegram_id == 6).values(active=False))
    await subscriber(storage, 7, queue="4.1")  # another queue
    await channel(storage, -100_1, owner_sub, ChannelStatus.ACTIVE)
    await channel(storage, -100_2, owner_sub, ChannelStatus.PAUSED)
    names = ("Київ", "Kyiv")
    alert = crowd_alert("kyiv", names, "3.1", CrowdEdge.OUTAGE, START, START, KYIV)
    episode = Episode(CrowdStatus.OUTAGE, START + MINUTE, START)
    move = EpisodeMove("kyiv", "3.1", episode, alert)
    assert await storage.crowd.save([move]) == 4
    assert await _recipients(storage) == [
        (-100_1, "⚠️", PRIORITY_EMERGENCY),
        (1, "⚠️", PRIORITY_EMERGENCY),
        (3, "⚠️", PRIORITY_EMERGENCY),
        (5, "⚠️", PRIORITY_EMERGENCY),
    ]
    async with storage.engine.connect() as conn:
        english = await conn.scalar(select(outbox.c.payload).where(outbox.c.chat_id == 5))
    assert "Unscheduled outage likely" in english["text"]
    assert await storage.crowd.save([move]) == 0  # the same episode: nothing more
    assert await storage.crowd.episodes() == {("kyiv", "3.1"): episode}
    await storage.crowd.save([EpisodeMove("kyiv", "3.1", Episode())])
    assert await storage.crowd.episodes() == {}


async def test_an_episode_is_updated_in_place(storage: SqlStorage):
    first = Episode(CrowdStatus.SUSPECT, START, START)
    later = Episode(CrowdStatus.OUTAGE, START + timedelta(minutes=2), START)
    await storage.crowd.save([EpisodeMove("kyiv", "3.1", first)])
    await storage.crowd.save([EpisodeMove("kyiv", "3.1", later)])
    assert await storage.crowd.episodes() == {("kyiv", "3.1"): later}


async def test_the_crowd_setting_cycles_default_on_off_default(storage: SqlStorage):
    prefs = PreferenceService(storage.users, storage.notification_prefs)
    await storage.users.get_or_create(1, "uk")
    seen = []
    for _ in range(4):
        changed = await prefs.toggle(1, AlertKind.CROWD)
        assert changed is not None
        seen.append(changed.crowd)
    assert seen == [True, False, None, True]
    changed = await prefs.toggle(1, AlertKind.CROWD_PLAN)
    assert changed is not None and changed.crowd_plan is True and changed.crowd is True
    ui = bot_texts_for("uk")
    assert _crowd_label(ui, None) == ui.opt_crowd_auto
    assert _crowd_label(ui, False) == f"{ui.off_mark} {ui.opt_crowd}"


async def test_earlier_or_later_than_planned_reaches_only_who_asked_for_it(storage: SqlStorage):
    owner_sub = await subscriber(storage, 1)  # no monitor: gets unscheduled ones, not these
    await subscriber(storage, 2, crowd_plan=True)
    await subscriber(storage, 3, "en", crowd_plan=True, crowd=False)
    await channel(storage, -100_1, owner_sub, ChannelStatus.ACTIVE)  # channels: never these
    names = ("Київ", "Kyiv")
    planned_end = START + timedelta(hours=2)
    back_at = START + timedelta(hours=1)
    alert = crowd_alert("kyiv", names, "3.1", CrowdEdge.EARLY, START, back_at, KYIV, planned_end)
    assert "на 1 год раніше" in alert.text("uk") and "1 h earlier" in alert.text("en")
    assert await storage.crowd.save([EpisodeMove("kyiv", "3.1", Episode(), alert)]) == 2
    assert await _recipients(storage) == [(2, "🟢 ", PRIORITY_TODAY), (3, "🟢 ", PRIORITY_TODAY)]
    planned = Episode(CrowdStatus.PLANNED, START, START, planned_end)
    await storage.crowd.save([EpisodeMove("kyiv", "3.1", planned)])
    assert await storage.crowd.episodes() == {("kyiv", "3.1"): planned}
