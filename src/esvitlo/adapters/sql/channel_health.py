"""ports.ChannelHealthStore in SQL: the channels a health check visits, lost ones recovered."""

from __future__ import annotations

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.tables import channels
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import CheckedChannel, recovered_status


class SqlChannelHealth:
    """Reads every channel's status; a recovery changes only a channel still lost."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def channels_to_check(self) -> list[CheckedChannel]:
        """Every channel by chat id, with its status and whether it is linked to an address."""
        query = select(
            channels.c.chat_id, channels.c.status, channels.c.subscription_id.is_not(None)
        ).order_by(channels.c.chat_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [CheckedChannel(row[0], ChannelStatus(row[1]), bool(row[2])) for row in rows]

    async def mark_recovered(self, chat_id: int) -> bool:
        """A lost channel becomes active (linked) or pending (unlinked); False when not lost."""
        linked = channels.c.subscription_id.is_not(None)
        status = case(
            (linked, recovered_status(linked=True).value),
            else_=recovered_status(linked=False).value,
        )
        statement = (
            update(channels)
            .where(channels.c.chat_id == chat_id, channels.c.status == ChannelStatus.LOST.value)
            .values(status=status)
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0
