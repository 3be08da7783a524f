"""What the admin panel reads: head counts, one user's card by Telegram id, and the newest
users by region or Telegram id prefix."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import String, cast, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.elements import ColumnElement

from esvitlo.adapters.sql.tables import channels, monitors, outbox, subscriptions, users
from esvitlo.domain.accounts import AdminStats
from esvitlo.domain.admin_messages import UserCard, UserFilter, UserList, UserSummary
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

    async def users(self, wanted: UserFilter, limit: int) -> UserList:
        """The newest ``limit`` users matching ``wanted`` (newest by creation) and the total."""
        conditions = _user_conditions(wanted)
        addresses = (
            select(func.count())
            .select_from(subscriptions)
            .where(subscriptions.c.user_id == users.c.id)
            .scalar_subquery()
        )
        newest = (
            select(users.c.id, users.c.telegram_id, users.c.language, users.c.active, addresses)
            .where(*conditions)
            .order_by(users.c.created_at.desc(), users.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            total = await conn.scalar(select(func.count()).select_from(users).where(*conditions))
            rows = (await conn.execute(newest)).all()
            regions: defaultdict[int, set[str]] = defaultdict(set)
            if rows:
                followed = select(subscriptions.c.user_id, subscriptions.c.region).where(
                    subscriptions.c.user_id.in_([row.id for row in rows])
                )
                for user_id, region in await conn.execute(followed):
                    regions[user_id].add(region)
        found = tuple(
            UserSummary(
                telegram_id=int(row.telegram_id),
                language=row.language,
                active=bool(row.active),
                addresses=int(row[4] or 0),
                regions=tuple(sorted(regions[row.id])),
            )
            for row in rows
        )
        return UserList(found, int(total or 0))


def _user_conditions(wanted: UserFilter) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``users`` for a filter (an id prefix is digits only: no escaping)."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.telegram_prefix is not None:
        text_id = cast(users.c.telegram_id, String)
        conditions.append(text_id.like(f"{wanted.telegram_prefix}%"))
    if wanted.region is not None:
        follows = exists().where(
            subscriptions.c.user_id == users.c.id, subscriptions.c.region == wanted.region
        )
        conditions.append(follows)
    return conditions
