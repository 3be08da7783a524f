"""Contract: channel posts planned with a change, post styles, and a lost channel's owner told
once per loss, on every backend."""

from __future__ import annotations

from datetime import date, timedelta

from sql_backends import START
from sqlalchemy import select
from test_change_planning import KYIV, NOW, TODAY, TOMORROW, advance, channel, day, subscriber

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus, PostMode
from esvitlo.domain.alerts import change_alerts
from esvitlo.domain.changes import check_queue
from esvitlo.domain.channel_posts import PostOrder, channel_posts
from esvitlo.domain.model import QueueSchedule, RegionSnapshot


async def rows_of(storage: SqlStorage, kind: str, status: str | None = None) -> list[dict]:
    query = select(outbox).where(outbox.c.kind == kind).order_by(outbox.c.id)
    if status is not None:
        query = query.where(outbox.c.status == status)
    async with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(query)]


async def test_one_post_per_change_in_each_channels_style(storage: SqlStorage):
    sub = await subscriber(storage, 1)
    styles = {
        -100_1: (PostMode.NEW, False),
        -100_2: (PostMode.NEW, True),
        -100_3: (PostMode.EDIT, False),
    }
    for chat_id, (mode, delete) in styles.items():
        await channel(storage, chat_id, sub, ChannelStatus.ACTIVE)
        await storage.channels.set_post_style(chat_id, mode, delete)
    await channel(storage, -100_4, sub, ChannelStatus.PAUSED)

    await advance(storage.schedules, day(TODAY, (600, 720)))
    await advance(storage.schedules, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    posts = await rows_of(storage, "channel_post")
    orders = {row["chat_id"]: PostOrder.from_payload(row["payload"]) for row in posts}
    assert {c: (o.mode, o.delete_previous) for c, o in orders.items()} == styles
    order = orders[-100_1]
    first_line, title = order.caption.split("\n")[:2]
    assert "Оновлено графік на сьогодні й завтра" in first_line
    assert "Київ · Черга 3.1" in title
    assert "10:00–13:00" in order.caption and "01:00–02:00" in order.caption
    picture = order.picture
    assert (picture.region, picture.title, picture.today) == ("Київ", "Черга 3.1", TODAY)
    assert [d.date for d in picture.schedule.days] == [TODAY, TOMORROW]
    assert posts[0]["payload"]["photo"]["key"] == picture.key
    assert len({o.picture.key for o in orders.values()}) == 1  # one picture for every channel


async def test_a_post_is_planned_once_replaced_while_waiting_and_repeated_on_flips(
    storage: SqlStorage,
):
    sub = await subscriber(storage, 1)
    await channel(storage, -100_1, sub, ChannelStatus.ACTIVE)
    first, second = day(TODAY, (600, 720)), day(TODAY, (600, 780))
    await advance(storage.schedules, first)
    assert [await advance(storage.schedules, d) for d in (second, first, second)] == [2, 2, 2]
    posts = await rows_of(storage, "channel_post")
    assert len({row["idempotency_key"] for row in posts}) == 3
    assert [row["status"] for row in posts] == ["superseded", "superseded", "pending"]
    header = PostOrder.from_payload(posts[-1]["payload"]).caption.split("\n")[0]
    assert "Змінився графік на сьогодні" in header


async def test_planning_the_same_post_twice_adds_nothing(storage: SqlStorage):
    sub = await subscriber(storage, 1)
    await channel(storage, -100_1, sub, ChannelStatus.ACTIVE)
    await advance(storage.schedules, day(TODAY, (600, 720)))
    stored = await storage.schedules.load("kyiv")
    assert stored is not None
    schedule = QueueSchedule("3.1", None, (day(TODAY, (600, 780)),))
    check = check_queue(stored["3.1"], schedule, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": schedule})
    alerts = change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)
    posts = channel_posts(KYIV, snapshot, {"3.1": check}, NOW)
    assert check.keep is not None and len(posts) == 1
    keep = {"3.1": check.keep}
    assert await storage.schedules.save_and_plan("kyiv", keep, alerts, posts) == 2
    assert await storage.schedules.save_and_plan("kyiv", keep, alerts, posts) == 0
    assert len(await rows_of(storage, "channel_post")) == 1


async def test_losing_a_channel_tells_its_owner_once_per_loss(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "en")
    await storage.channels.add_pending(-100_7, owner.id, "Light <home>")
    await storage.channels.set_status(-100_7, ChannelStatus.ACTIVE)
    later = START + timedelta(minutes=1)
    await storage.outbox.deactivate_recipient(-100_7, "RecipientGone: kicked", later)
    await storage.outbox.deactivate_recipient(-100_7, "RecipientGone: kicked", later)
    [notice] = await rows_of(storage, "channel_lost")
    assert (notice["chat_id"], notice["status"], notice["due_at"]) == (10, "pending", later)
    assert notice["idempotency_key"] == "channel_lost:-1007:1"
    assert "I can no longer post in the channel “Light &lt;home&gt;”" in notice["payload"]["text"]

    await storage.channels.set_status(-100_7, ChannelStatus.ACTIVE)  # fixed, then lost again
    await storage.outbox.deactivate_recipient(-100_7, "RecipientGone: kicked", later)
    notices = await rows_of(storage, "channel_lost")
    assert [n["idempotency_key"] for n in notices] == [
        "channel_lost:-1007:1",
        "channel_lost:-1007:2",
    ]
    lost = await storage.channels.get_by_chat_id(-100_7)
    assert lost is not None and lost.status is ChannelStatus.LOST


async def test_no_notice_for_a_pending_channel_or_an_inactive_owner(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    gone = await storage.users.get_or_create(11, "uk")
    await storage.channels.add_pending(-100_1, owner.id, "pending")
    await storage.channels.add_pending(-100_2, gone.id, "orphan")
    await storage.channels.set_status(-100_2, ChannelStatus.PAUSED)
    await storage.users.set_active(11, False)
    for chat_id in (-100_1, -100_2, -100_3):
        await storage.outbox.deactivate_recipient(chat_id, "RecipientGone", START)
    assert await rows_of(storage, "channel_lost") == []
    for chat_id in (-100_1, -100_2):
        lost = await storage.channels.get_by_chat_id(chat_id)
        assert lost is not None and lost.status is ChannelStatus.LOST


async def test_post_style_is_kept_for_the_owner_and_reset_for_a_new_one(storage: SqlStorage):
    owner = await storage.users.get_or_create(10, "uk")
    buyer = await storage.users.get_or_create(11, "uk")
    fresh = await storage.channels.add_pending(-7, owner.id, "c")
    assert (fresh.post_mode, fresh.delete_previous) == (PostMode.NEW, False)
    await storage.channels.set_post_style(-7, PostMode.EDIT, True)  # deleting is for new posts
    edited = await storage.channels.get_by_chat_id(-7)
    assert edited is not None and (edited.post_mode, edited.delete_previous) == (
        PostMode.EDIT,
        False,
    )
    await storage.channels.set_post_style(-7, PostMode.NEW, True)
    again = await storage.channels.add_pending(-7, owner.id, "c")
    assert (again.post_mode, again.delete_previous) == (PostMode.NEW, True)
    moved = await storage.channels.add_pending(-7, buyer.id, "c")
    assert (moved.post_mode, moved.delete_previous) == (PostMode.NEW, False)


async def test_drop_settles_a_claimed_message_unsent(storage: SqlStorage):
    async with storage.engine.begin() as conn:
        await conn.execute(
            outbox.insert().values(
                chat_id=-100_1, kind="channel_post", topic="t", idempotency_key="k",
                payload={}, status="pending", priority=3, due_at=START, attempts=0,
                created_at=START,
            )
        )  # fmt: skip
    [message] = await storage.outbox.claim(5, START, timedelta(minutes=5))
    await storage.outbox.drop(message.id, "channel paused")
    [row] = await rows_of(storage, "channel_post")
    assert (row["status"], row["last_error"], row["claimed_at"]) == (
        "dropped",
        "channel paused",
        None,
    )


async def test_memory_store_records_the_posts():
    store = MemoryScheduleStore()
    await advance(store, day(TODAY, (600, 720)))
    await advance(store, day(TODAY, (600, 780)), day(date(2025, 11, 10), (60, 120)))
    [post] = store.posts
    assert (post.region, post.queue, post.topic) == ("kyiv", "3.1", "channel:kyiv:3.1")
