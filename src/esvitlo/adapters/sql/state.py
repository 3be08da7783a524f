"""Small shared state in SQL: dialogue state per conversation key, and service-wide flags."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import app_flags, conversations
from esvitlo.domain.accounts import conversation_user_id
from esvitlo.ports import Clock


class SqlConversations:
    """ports.ConversationStore on SQLAlchemy Core; rows remember their user for deletion."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        """The state and data of a conversation; ``(None, {})`` when there is none."""
        query = select(conversations.c.state, conversations.c.data).where(
            conversations.c.key == key
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).one_or_none()
        return (None, {}) if row is None else (row.state, dict(row.data))

    async def set_state(self, key: str, state: str | None) -> None:
        """Set (None: clear) the state, keeping the data."""
        await self._upsert(key, {"state": state}, data={})

    async def set_data(self, key: str, data: Mapping[str, Any]) -> None:
        """Replace the data, keeping the state."""
        await self._upsert(key, {"data": dict(data)}, data=dict(data))

    async def clear(self, key: str) -> None:
        """Forget the conversation's state and data."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(conversations).where(conversations.c.key == key))

    async def purge_older_than(self, cutoff: datetime) -> int:
        """Forget conversations untouched since ``cutoff``; the number forgotten."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                delete(conversations).where(conversations.c.updated_at < cutoff)
            )
        return result.rowcount

    async def _upsert(self, key: str, changes: dict[str, Any], *, data: dict[str, Any]) -> None:
        now = self._clock.now()
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, conversations).values(
                key=key,
                telegram_id=conversation_user_id(key),
                state=changes.get("state"),
                data=data,
                updated_at=now,
            )
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["key"], set_={**changes, "updated_at": now}
                )
            )


class SqlAppFlags:
    """ports.AppFlags on SQLAlchemy Core: a name → text table."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def get(self, name: str) -> str | None:
        """A flag's value, or None when unset."""
        async with self._engine.connect() as conn:
            value = await conn.scalar(select(app_flags.c.value).where(app_flags.c.name == name))
        return None if value is None else str(value)

    async def names(self, prefix: str) -> list[str]:
        """Every set flag name starting with ``prefix``, sorted (ports.FlagNames)."""
        query = (
            select(app_flags.c.name)
            .where(app_flags.c.name.startswith(prefix, autoescape=True))
            .order_by(app_flags.c.name)
        )
        async with self._engine.connect() as conn:
            return [str(name) for name in await conn.scalars(query)]

    async def set(self, name: str, value: str | None) -> None:
        """Set a flag; None unsets it."""
        async with self._engine.begin() as conn:
            if value is None:
                await conn.execute(delete(app_flags).where(app_flags.c.name == name))
                return
            now = self._clock.now()
            insert = upsert_insert(conn, app_flags).values(name=name, value=value, updated_at=now)
            await conn.execute(
                insert.on_conflict_do_update(
                    index_elements=["name"], set_={"value": value, "updated_at": now}
                )
            )
