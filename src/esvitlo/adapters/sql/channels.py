"""Users' Telegram channels in SQL, one row per chat id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, case, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import channels, subscriptions
from esvitlo.domain.accounts import CaptionStyle, Channel, ChannelStatus, ChatKind, PostMode
from esvitlo.ports import Clock


def channel_from_row(row: Row[Any]) -> Channel:
    """A Channel from a ``channels`` row."""
    return Channel(
        id=row.id,
        chat_id=row.chat_id,
        owner_user_id=row.owner_user_id,
        subscription_id=row.subscription_id,
        title=row.title,
        status=ChannelStatus(row.status),
        last_post_message_id=row.last_post_message_id,
        created_at=row.created_at,
        post_mode=PostMode(row.post_mode),
        delete_previous=bool(row.delete_previous),
        kind=ChatKind(row.chat_kind),
        thread_id=row.thread_id,
        caption_style=CaptionStyle(row.caption_style),
        caption_template=row.caption_template,
        post_buttons=bool(row.post_buttons),
    )


class SqlChannels:
    """ports.Channels on SQLAlchemy Core; a subscription's removal unlinks its channel."""

    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    async def add_pending(
        self, chat_id: int, owner_user_id: int, title: str, kind: ChatKind = ChatKind.CHANNEL
    ) -> Channel:
        """Register a channel or group awaiting setup; a new owner starts without link, last
        post, topic, post or caption style of the previous owner."""
        async with self._engine.begin() as conn:
            insert = upsert_insert(conn, channels).values(
                chat_id=chat_id,
                owner_user_id=owner_user_id,
                title=title,
                status=ChannelStatus.PENDING.value,
                created_at=self._clock.now(),
                chat_kind=ChatKind(kind).value,
            )
            same_owner = channels.c.owner_user_id == insert.excluded.owner_user_id
            upsert = insert.on_conflict_do_update(
                index_elements=["chat_id"],
                set_={
                    "owner_user_id": insert.excluded.owner_user_id,
                    "title": insert.excluded.title,
                    "status": insert.excluded.status,
                    "subscription_id": case((same_owner, channels.c.subscription_id)),
                    "last_post_message_id": case((same_owner, channels.c.last_post_message_id)),
                    "post_mode": case((same_owner, channels.c.post_mode), else_=PostMode.NEW.value),
                    "delete_previous": case((same_owner, channels.c.delete_previous), else_=False),
                    "chat_kind": insert.excluded.chat_kind,
                    "thread_id": case((same_owner, channels.c.thread_id)),
                    "caption_style": case(
                        (same_owner, channels.c.caption_style), else_=CaptionStyle.FULL.value
                    ),
                    "caption_template": case((same_owner, channels.c.caption_template)),
                    "post_buttons": case((same_owner, channels.c.post_buttons), else_=True),
                },
            )
            await conn.execute(upsert)
            row = (await conn.execute(_by_chat_id(chat_id))).one()
        return channel_from_row(row)

    async def get_by_chat_id(self, chat_id: int) -> Channel | None:
        """The channel with this chat id, or None."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(_by_chat_id(chat_id))).one_or_none()
        return None if row is None else channel_from_row(row)

    async def list_for_owner(self, owner_user_id: int) -> list[Channel]:
        """A user's channels, oldest first."""
        query = (
            select(channels)
            .where(channels.c.owner_user_id == owner_user_id)
            .order_by(channels.c.created_at, channels.c.id)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [channel_from_row(row) for row in rows]

    async def set_status(self, chat_id: int, status: ChannelStatus) -> None:
        """Change a channel's status."""
        await self._update(chat_id, status=ChannelStatus(status).value)

    async def link(self, chat_id: int, subscription_id: int | None) -> bool:
        """Publish a subscription of the owner (None: none); False when not the owner's."""
        statement = update(channels).where(channels.c.chat_id == chat_id)
        if subscription_id is not None:
            owned = exists().where(
                subscriptions.c.id == subscription_id,
                subscriptions.c.user_id == channels.c.owner_user_id,
            )
            statement = statement.where(owned)
        async with self._engine.begin() as conn:
            result = await conn.execute(statement.values(subscription_id=subscription_id))
        return result.rowcount > 0

    async def set_last_post(self, chat_id: int, message_id: int | None) -> None:
        """Remember the id of the bot's latest post in the channel."""
        await self._update(chat_id, last_post_message_id=message_id)

    async def set_post_style(self, chat_id: int, mode: PostMode, delete_previous: bool) -> None:
        """A new post (deleting the previous one or not) or the previous post edited."""
        delete = delete_previous and PostMode(mode) is PostMode.NEW
        await self._update(chat_id, post_mode=PostMode(mode).value, delete_previous=delete)

    async def set_thread(self, chat_id: int, thread_id: int | None) -> None:
        """The forum topic posts go to (None: the General topic, or no topics)."""
        await self._update(chat_id, thread_id=thread_id)

    async def set_caption(self, chat_id: int, style: CaptionStyle, template: str | None) -> None:
        """The caption style and the owner's template (None: the default caption)."""
        await self._update(
            chat_id, caption_style=CaptionStyle(style).value, caption_template=template
        )

    async def set_post_buttons(self, chat_id: int, on: bool) -> None:
        """Whether posts carry the timer and today links."""
        await self._update(chat_id, post_buttons=on)

    async def follow_migration(self, old_chat_id: int, new_chat_id: int) -> bool:
        """A group became a supergroup: its row takes the new id (unless one is there already);
        whether it moved."""
        taken = channels.alias("taken")
        statement = (
            update(channels)
            .where(
                channels.c.chat_id == old_chat_id,
                ~exists().where(taken.c.chat_id == new_chat_id),
            )
            .values(chat_id=new_chat_id, chat_kind=ChatKind.SUPERGROUP.value, thread_id=None)
        )
        async with self._engine.begin() as conn:
            result = await conn.execute(statement)
        return result.rowcount > 0

    async def remove(self, chat_id: int) -> bool:
        """Forget a channel; False when it was not known."""
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(channels).where(channels.c.chat_id == chat_id))
        return result.rowcount > 0

    async def _update(self, chat_id: int, **values: Any) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(update(channels).where(channels.c.chat_id == chat_id).values(values))


def _by_chat_id(chat_id: int) -> Any:
    return select(channels).where(channels.c.chat_id == chat_id)
