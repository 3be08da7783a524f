"""What the admin panel reads: head counts, and one user's card by Telegram id."""

from __future__ import annotations

from sqlalchemy import func, select, true
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.tables import channels, monitors, outbox, subscriptions, users
from esvitlo.domain.accounts import AdminStats
from esvitlo.domain.admin_messages import UserCard
from esvitlo.domain.delivery import OutboxStatus

PENDING = OutboxStatus.PENDING.value


class SqlAdminQueries:
    """ports.AdminQueries on SQLAlchemy Core."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def stats(self) -> AdminStats:
        """Head counts of users, subscriptions per region, channels and the outbox."""
        count = func.count()
        by_region = (
            select(subscriptions.c.region, count)
            .group_by(subscriptions.c.region)
            .order_by(subscriptions.c.region)
        )
        async with self._engine.connect() as conn:
            user_total = await conn.scalar(select(count).select_from(users))
            active = await conn.scalar(
                select(count).select_from(users).where(users.c.active == true())
            )
            regions = {row[0]: int(row[1]) for row in await conn.execute(by_region)}
            channel_total = await conn.scalar(select(count).select_from(channels))
            pending = await conn.scalar(
                select(count).select_from(outbox).where(outbox.c.status == PENDING)
            )
        return AdminStats(
            users=int(user_total or 0),
            active_users=int(active or 0),
            subscriptions_by_region=regions,
            channels=int(channel_total or 0),
            pending_outbox=int(pending or 0),
        )

    async def user_card(self, telegram_id: int) -> UserCard | None:
        """One user's language, state, addresses (region and queue) and counts; None if unknown."""
        count = func.count()
        async with self._engine.connect() as conn:
            user = (
                await conn.execute(select(users).where(users.c.telegram_id == telegram_id))
            ).first()
            if user is None:
                return None
            addresses = await conn.execute(
                select(subscriptions.c.region, subscriptions.c.queue)
                .where(subscriptions.c.user_id == user.id)
                .order_by(subscriptions.c.id)
            )
            monitor_count = await conn.scalar(
                select(count).select_from(monitors).where(monitors.c.user_id == user.id)
            )
            channel_count = await conn.scalar(
                select(count).select_from(channels).where(channels.c.owner_user_id == user.id)
            )
            pending = await conn.scalar(
                select(count)
                .select_from(outbox)
                .where(outbox.c.chat_id == telegram_id, outbox.c.status == PENDING)
            )
        return UserCard(
            telegram_id=telegram_id,
            language=user.language,
            active=bool(user.active),
            created_at=user.created_at,
            addresses=tuple((row.region, row.queue) for row in addresses),
            monitors=int(monitor_count or 0),
            channels=int(channel_count or 0),
            pending=int(pending or 0),
        )
