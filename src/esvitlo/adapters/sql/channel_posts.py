"""Channel posts and lost channels in SQL: posts planned with the alerts, owners told once.

A post is queued with one ``INSERT … SELECT`` over the active channels linked to a
subscription of the post's (region, queue); the payload is picked in SQL by the channel's
post style, and a post still pending on the same topic is superseded by the newer one.
When a send finds a channel out of reach it becomes lost and, in the same transaction, its
owner gets one notice keyed by the channel and the number of times it was lost: told once
per loss, and again only after it was fixed and broke anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any

from sqlalchemy import Select, case, literal, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from esvitlo.adapters.sql.change_plans import insert_rows, outbox_row, supersede
from esvitlo.adapters.sql.column_types import JsonText
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import channels, outbox, subscriptions, users
from esvitlo.domain.accounts import ChannelStatus, PostMode
from esvitlo.domain.channel_posts import CHANNEL_LOST, CHANNEL_POST, ChannelPost
from esvitlo.domain.delivery import PRIORITY_TODAY, OutboxStatus
from esvitlo.domain.texts import bot_texts_for

LOST_NOTICE_PRIORITY = PRIORITY_TODAY
PUBLISHING = (ChannelStatus.ACTIVE.value, ChannelStatus.PAUSED.value)


def _payload(post: ChannelPost, mode: PostMode, delete_previous: bool) -> Any:
    return literal(post.order(mode, delete_previous).payload(), JsonText())


def _styled_payload(post: ChannelPost) -> Any:
    """The post as the channel wants it: the previous post edited, or a new one."""
    return case(
        (channels.c.post_mode == PostMode.EDIT.value, _payload(post, PostMode.EDIT, False)),
        (channels.c.delete_previous == true(), _payload(post, PostMode.NEW, True)),
        else_=_payload(post, PostMode.NEW, False),
    )


def channel_recipients(post: ChannelPost, prefix: str, now: datetime) -> Select[Any]:
    """One outbox row per active channel linked to a subscription of the post's queue."""
    row = outbox_row(
        channels.c.chat_id,
        CHANNEL_POST,
        post.topic,
        prefix,
        _styled_payload(post),
        post.priority,
        now,
    )
    return (
        select(*row)
        .select_from(channels.join(subscriptions, subscriptions.c.id == channels.c.subscription_id))
        .where(
            subscriptions.c.region == post.region,
            subscriptions.c.queue == post.queue,
            channels.c.status == ChannelStatus.ACTIVE.value,
        )
    )


async def plan_posts(
    conn: AsyncConnection, posts: Sequence[tuple[ChannelPost, Sequence[str]]], now: datetime
) -> tuple[int, int]:
    """Queue each (post, keys of the alerts it goes with) for its channels; (queued, superseded)."""
    queued = superseded = 0
    for post, alert_keys in posts:
        prefix = post.key_prefix(alert_keys)
        queued += await insert_rows(conn, channel_recipients(post, prefix, now))
        superseded += await supersede(conn, post.topic, prefix)
    return queued, superseded


async def mark_channel_lost(conn: AsyncConnection, chat_id: int, now: datetime) -> bool:
    """Mark a channel lost; when that is news (it was publishing), queue its owner's notice.

    Returns whether a notice was queued (not for an unknown, pending or already lost channel,
    nor for an owner who is inactive).
    """
    became_lost = (
        update(channels)
        .where(channels.c.chat_id == chat_id, channels.c.status.in_(PUBLISHING))
        .values(status=ChannelStatus.LOST.value, lost_count=channels.c.lost_count + 1)
        .returning(channels.c.owner_user_id, channels.c.title, channels.c.lost_count)
    )
    lost = (await conn.execute(became_lost)).one_or_none()
    if lost is None:
        await conn.execute(
            update(channels)
            .where(channels.c.chat_id == chat_id)
            .values(status=ChannelStatus.LOST.value)
        )
        return False
    owner_query = select(users.c.telegram_id, users.c.language).where(
        users.c.id == lost.owner_user_id, users.c.active == true()
    )
    owner = (await conn.execute(owner_query)).one_or_none()
    if owner is None:
        return False
    text = bot_texts_for(owner.language).channel_lost.format(title=escape(lost.title))
    topic = f"{CHANNEL_LOST}:{chat_id}"
    notice = upsert_insert(conn, outbox).values(
        chat_id=owner.telegram_id,
        kind=CHANNEL_LOST,
        topic=topic,
        idempotency_key=f"{topic}:{lost.lost_count}",
        payload={"text": text},
        status=OutboxStatus.PENDING.value,
        priority=LOST_NOTICE_PRIORITY,
        due_at=now,
        attempts=0,
        created_at=now,
    )
    await conn.execute(notice.on_conflict_do_nothing(index_elements=["idempotency_key"]))
    return True
