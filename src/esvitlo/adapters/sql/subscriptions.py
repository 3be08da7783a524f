"""Subscriptions to (region, queue) pairs in SQL, and the hot "who follows this queue" query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, delete, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import subscriptions, users
from esvitlo.adapters.sql.users import lock_user
from esvitlo.domain.accounts import DuplicateSubscription, Subscription, SubscriptionLimitReached
from esvitlo.ports import Clock


def subscription_from_row(row: Row[Any]) -> Subscription:
    """A Subscription from a ``subscriptions`` row."""
    return Subscription(row.id, row.user_id, row.region, row.queue, row.label, row.created_at)


def subscribers_query(region: str, queue: str) -> Select[int]:
    """Telegram ids of active users following a (region, queue); ix_subscriptions_region_queue."""
    return (
        select(users.c.telegram_id)
        .select_from(subscriptions.join(users, users.c.id == subscriptions.c.user_id))
        .where(
            subscriptions.c.region == region,
            subscriptions.c.queue == queue,
            users.c.active == true(),
        )
        .order_by(users.c.telegram_id)
    )


def _owned(sub_id: int, user_id: int) -> Any:
    return (subscriptions.c.id == sub_id) & (subscriptions.c.user_id == user_id)


class SqlSubscriptions:
    """ports.Subscriptions on SQLAlchemy Core; one row per (user, region, queue)."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def add(
        self, user_id: int, region: str, queue: str, label: str, *, limit: int | None = None
    ) -> Subscription:
        """Follow a queue; raise DuplicateSubscription when the user already follows it, and
        SubscriptionLimitReached when they already follow ``limit`` queues: counted behind
        the user's row lock, in the transaction that inserts."""
        async with self._engine.begin() as conn:
            if limit is not None:
                await lock_user(conn, user_id)
                count = select(func.count()).where(subscriptions.c.user_id == user_id)
                if int(await conn.scalar(count) or 0) >= limit:
                    raise SubscriptionLimitReached(f"user {user_id} follows {limit} queues")
            insert = (
                upsert_insert(conn, subscriptions)
                .values(
                    user_id=user_id,
                    region=region,
                    queue=queue,
                    label=label,
                    created_at=self._clock.now(),
                )
                .on_conflict_do_nothing(index_elements=["user_id", "region", "queue"])
                .returning(*subscriptions.c)
            )
            row = (await conn.execute(insert)).one_or_none()
        if row is None:
            raise DuplicateSubscription(f"user {user_id} already follows {region} {queue}")
        return subscription_from_row(row)

    async def list_for_user(self, user_id: int) -> list[Subscription]:
        """A user's subscriptions, oldest first."""
        query = (
            select(subscriptions)
            .where(subscriptions.c.user_id == user_id)
            .order_by(subscriptions.c.created_at, subscriptions.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [subscription_from_row(row) for row in rows]

    async def get(self, sub_id: int, user_id: int) -> Subscription | None:
        """One of the user's subscriptions, or None (also when it belongs to someone else)."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(subscriptions).where(_owned(sub_id, user_id)))
            ).one_or_none()
        return None if row is None else subscription_from_row(row)

    async def rename(self, sub_id: int, user_id: int, label: str) -> bool:
        """Change a subscription's label; False when the user has no such subscription."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(subscriptions).where(_owned(sub_id, user_id)).values(label=label)
            )
        return result.rowcount > 0

    async def remove(self, sub_id: int, user_id: int) -> bool:
        """Stop following; False when the user has no such subscription."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(subscriptions).where(_owned(sub_id, user_id)))
        return result.rowcount > 0

    async def count_for_user(self, user_id: int) -> int:
        """How many queues a user follows."""
        query = select(func.count()).where(subscriptions.c.user_id == user_id)
        async with self._engine.connect() as conn:
            return int(await conn.scalar(query) or 0)

    async def subscriber_chat_ids(self, region: str, queue: str) -> list[int]:
        """Telegram ids of the active users following a (region, queue), ascending."""
        async with self._engine.connect() as conn:
            return list((await conn.execute(subscribers_query(region, queue))).scalars())
