"""Contract: the admin panel's user card and direct messages into the outbox, on every backend."""

from __future__ import annotations

from datetime import timedelta

from sql_backends import START, StepClock
from sqlalchemy import select

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.direct_messages import DirectMessage


async def test_a_user_card_shows_addresses_and_counts_and_nothing_for_a_stranger(
    storage: SqlStorage, clock: StepClock
):
    user = await storage.users.get_or_create(7_000_000_001, "en")
    await storage.subscriptions.add(user.id, "kyiv", "3.1", "Мамин дім")
    await storage.subscriptions.add(user.id, "dnipro", "1001.2", "Дача")
    await storage.channels.add_pending(-1_000_000_000_001, user.id, "Світло")
    card = await storage.admin.user_card(7_000_000_001)
    assert card is not None
    assert (card.telegram_id, card.language, card.active) == (7_000_000_001, "en", True)
    assert card.created_at == START
    assert card.addresses == (("kyiv", "3.1"), ("dnipro", "1001.2"))
    assert (card.monitors, card.channels, card.pending) == (0, 1, 0)
    assert await storage.admin.user_card(7_000_000_002) is None


async def test_direct_messages_are_queued_once_per_key(storage: SqlStorage, clock: StepClock):
    first = DirectMessage(
        11, "feedback", "feedback:5:1", "feedback:5:1:11", {"text": "<b>hi</b>"}, 6
    )
    second = DirectMessage(12, "feedback", "feedback:5:1", "feedback:5:1:12", {"text": "hello"}, 6)
    assert await storage.outbox.enqueue_direct([first, second], START) == 2
    assert await storage.outbox.enqueue_direct([first], START) == 0
    assert await storage.outbox.enqueue_direct([], START) == 0
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(select(outbox).order_by(outbox.c.chat_id))).all()
    assert [(r.chat_id, r.kind, r.payload, r.status, r.priority) for r in rows] == [
        (11, "feedback", {"text": "<b>hi</b>"}, "pending", 6),
        (12, "feedback", {"text": "hello"}, "pending", 6),
    ]
    assert await storage.admin.user_card(11) is None  # a chat that is no user has no card
    claimed = await storage.outbox.claim(10, START, lease=timedelta(minutes=5))
    assert {m.chat_id for m in claimed} == {11, 12}
