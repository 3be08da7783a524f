"""Users and their notification settings in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    channels,
    conversations,
    notification_settings,
    outbox,
    users,
)
from esvitlo.domain.accounts import NotificationSettings, User
from esvitlo.ports import Clock


def user_from_row(row: Row[Any]) -> User:
    """A User from a ``users`` row."""
    return User(row.id, row.telegram_id, row.language, bool(row.active), row.created_at)


async def lock_user(conn: AsyncConnection, user_id: int) -> bool:
    """Hold the user's row until the transaction ends; False when there is no such user.

    PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` (a second such transaction waits here, while
    inserts merely referencing the user do not). SQLite: a no-op UPDATE as the transaction's
    first statement, which takes the database's write lock before anything is read. Either
    way, a count that follows sees every insert committed before it, and no other
    transaction taking the same lock can insert until this one ends.
    """
    mine = users.c.id == user_id
    if conn.dialect.name == "postgresql":
        locked = select(users.c.id).where(mine).with_for_update(key_share=True)
        found = await conn.execute(locked)
        return found.first() is not None
    result = await conn.execute(update(users).where(mine).values(active=users.c.active))
    return result.rowcount > 0


class SqlUsers:
    """ports.Users on SQLAlchemy Core; deleting a user cascades to everything they own."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def get_or_create(self, telegram_id: int, language: str) -> User:
        """The user with this Telegram id, created (active, with ``language``) if new."""
        found = await self.get_by_telegram_id(telegram_id)
        if found is not None:
            return found
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, users).values(
                telegram_id=telegram_id,
                language=language,
                active=True,
                created_at=self._clock.now(),
            )
            await conn.execute(insert.on_conflict_do_nothing(index_elements=["telegram_id"]))
            row = (await conn.execute(_by_telegram_id(telegram_id))).one()
        return user_from_row(row)

    async def get(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(users).where(users.c.id == user_id))).one_or_none()
        return None if row is None else user_from_row(row)

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_by_telegram_id(telegram_id))).one_or_none()
        return None if row is None else user_from_row(row)

    async def set_language(self, user_id: int, language: str) -> None:
        """Change a user's interface language."""
        async with self._engine.begin() as conn:
            await conn.execute(update(users).where(users.c.id == user_id).values(language=language))

    async def set_active(self, telegram_id: int, active: bool) -> None:
        """Mark a user active again, or inactive after they blocked the bot."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(users).where(users.c.telegram_id == telegram_id).values(active=active)
            )

    async def delete(self, user_id: int) -> bool:
        """Forget a user: rows keyed by user id cascade; messages and dialogues go explicitly."""
        async with self._engine.begin() as conn:
            telegram_id = await conn.scalar(
                select(users.c.telegram_id).where(users.c.id == user_id)
            )
            if telegram_id is None:
                return False
            own_channels = select(channels.c.chat_id).where(channels.c.owner_user_id == user_id)
            await conn.execute(
                delete(outbox).where(
                    or_(outbox.c.chat_id == telegram_id, outbox.c.chat_id.in_(own_channels))
                )
            )
            await conn.execute(
                delete(conversations).where(conversations.c.telegram_id == telegram_id)
            )
            await conn.execute(delete(users).where(users.c.id == user_id))
        return True


def _by_telegram_id(telegram_id: int) -> Any:
    return select(users).where(users.c.telegram_id == telegram_id)


def _join_minutes(minutes: tuple[int, ...]) -> str:
    return ",".join(str(m) for m in minutes)


def _split_minutes(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


class SqlNotificationPrefs:
    """ports.NotificationPrefs on SQLAlchemy Core: one row per user who changed a setting."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def get(self, user_id: int) -> NotificationSettings:
        """A user's settings; the defaults when never saved."""
        query = select(notification_settings).where(notification_settings.c.user_id == user_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).one_or_none()
        if row is None:
            return NotificationSettings(user_id)
        return NotificationSettings(
            user_id=user_id,
            schedule_changes=bool(row.schedule_changes),
            tomorrow=bool(row.tomorrow),
            emergency=bool(row.emergency),
            reminders=bool(row.reminders),
            remind_before_off=_split_minutes(row.remind_before_off),
            remind_before_on=_split_minutes(row.remind_before_on),
            quiet_start=row.quiet_start,
            quiet_end=row.quiet_end,
            crowd=None if row.crowd is None else bool(row.crowd),
            crowd_plan=bool(row.crowd_plan),
        )

    async def save(self, settings: NotificationSettings) -> None:
        """Store a user's settings, replacing the previous ones."""
        values = {
            "schedule_changes": settings.schedule_changes,
            "tomorrow": settings.tomorrow,
            "emergency": settings.emergency,
            "reminders": settings.reminders,
            "remind_before_off": _join_minutes(settings.remind_before_off),
            "remind_before_on": _join_minutes(settings.remind_before_on),
            "quiet_start": settings.quiet_start,
            "quiet_end": settings.quiet_end,
            "crowd": settings.crowd,
            "crowd_plan": settings.crowd_plan,
            "updated_at": self._clock.now(),
        }
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, notification_settings).values(
                user_id=settings.user_id, **values
            )
            await conn.execute(
                insert.on_conflict_do_update(index_elements=["user_id"], set_=values)
            )
