"""Addresses found by lookup in SQL (``address_lookups``), for the daily re-check."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, true, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import address_lookups, subscriptions, users
from esvitlo.domain.address_lookup import FoundAddress
from esvitlo.ports import Clock


class SqlAddressBook:
    """ports.AddressBook on SQLAlchemy Core; one row per subscription, gone with it."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def save(
        self, subscription_id: int, street: str, house: str, queue: str, next_check_at: datetime
    ) -> None:
        values = {
            "subscription_id": subscription_id,
            "street": street[:200],
            "house": house[:40],
            "queue": queue,
            "checked_at": self._clock.now(),
            "next_check_at": next_check_at,
        }
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, address_lookups).values(**values)
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=[address_lookups.c.subscription_id],
                    set_={k: v for k, v in values.items() if k != "subscription_id"},
                )
            )

    async def due(self, now: datetime, limit: int) -> list[FoundAddress]:
        query = (
            select(
                address_lookups.c.subscription_id,
                users.c.telegram_id,
                users.c.language,
                subscriptions.c.region,
                subscriptions.c.label,
                address_lookups.c.street,
                address_lookups.c.house,
                address_lookups.c.queue,
            )
            .select_from(
                address_lookups.join(
                    subscriptions, subscriptions.c.id == address_lookups.c.subscription_id
                ).join(users, users.c.id == subscriptions.c.user_id)
            )
            .where(address_lookups.c.next_check_at <= now, users.c.active == true())
            .order_by(address_lookups.c.next_check_at)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [FoundAddress(*row) for row in rows]

    async def postpone(self, subscription_id: int, next_check_at: datetime) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(address_lookups)
                .where(address_lookups.c.subscription_id == subscription_id)
                .values(checked_at=self._clock.now(), next_check_at=next_check_at)
            )

    async def move(self, subscription_id: int, queue: str, next_check_at: datetime) -> bool:
        async with self._engine.begin() as conn:
            sub = (
                await conn.execute(
                    select(subscriptions.c.user_id, subscriptions.c.region).where(
                        subscriptions.c.id == subscription_id
                    )
                )
            ).one_or_none()
            if sub is None:
                return False
            taken = await conn.scalar(
                select(subscriptions.c.id).where(
                    and_(
                        subscriptions.c.user_id == sub.user_id,
                        subscriptions.c.region == sub.region,
                        subscriptions.c.queue == queue,
                    )
                )
            )
            if taken is None:
                await conn.execute(
                    update(subscriptions)
                    .where(subscriptions.c.id == subscription_id)
                    .values(queue=queue)
                )
            await conn.execute(
                update(address_lookups)
                .where(address_lookups.c.subscription_id == subscription_id)
                .values(queue=queue, checked_at=self._clock.now(), next_check_at=next_check_at)
            )
            return taken is None
