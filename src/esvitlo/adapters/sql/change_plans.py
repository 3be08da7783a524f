"""Planning schedule alerts in SQL: one ``INSERT … SELECT`` per alert and kind of recipient.

Users get an alert when they are active, follow the alert's (region, queue) and have its
setting on (no settings row means the defaults, all on); the text is picked in SQL by their
language. Channels get it in Ukrainian when they are active and linked to a subscription of
that (region, queue). A recipient with a message still pending on the alert's topic gets the
alert restated in full (they never saw the version it changes); after the insert that older
message is marked superseded, so only the newer one is sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, exists, func, literal, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from esvitlo.adapters.sql.column_types import JsonText, UtcDateTime
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    channels,
    notification_settings,
    outbox,
    subscriptions,
    users,
)
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.alerts import LANGUAGES, ChangeAlert
from esvitlo.domain.delivery import OutboxStatus
from esvitlo.domain.texts import DEFAULT_LANGUAGE

OUTBOX_COLUMNS = (
    "chat_id",
    "kind",
    "topic",
    "idempotency_key",
    "payload",
    "status",
    "priority",
    "due_at",
    "attempts",
    "created_at",
)


def _payload(text: str) -> Any:
    return literal({"text": text}, JsonText())


def _row(chat_id: Any, alert: ChangeAlert, prefix: str, payload: Any, now: datetime) -> list[Any]:
    """The outbox columns of one recipient, in OUTBOX_COLUMNS order."""
    return [
        chat_id,
        literal(alert.kind.value),
        literal(alert.topic),
        literal(prefix) + cast(chat_id, String),
        payload,
        literal(OutboxStatus.PENDING.value),
        literal(alert.priority),
        literal(now, UtcDateTime()),
        literal(0),
        literal(now, UtcDateTime()),
    ]


def _waiting_on_topic(chat_id: Any, topic: str) -> Any:
    """Whether the chat has a message on ``topic`` still waiting (about to be replaced)."""
    older = outbox.alias("older")
    return exists().where(
        older.c.chat_id == chat_id,
        older.c.topic == topic,
        older.c.status == OutboxStatus.PENDING.value,
    )


def _texts(alert: ChangeAlert, chat_id: Any, language: Any) -> Any:
    """The alert's text for a recipient: restated in full when it replaces one never sent,
    and in the recipient's language (``language`` None: the default one)."""
    replacing = _waiting_on_topic(chat_id, alert.topic)
    others = (
        [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE] if language is not None else []
    )
    whens = [
        (replacing & language.like(f"{lang}%"), _payload(alert.text(lang, restate=True)))
        for lang in others
    ]
    whens.append((replacing, _payload(alert.text(DEFAULT_LANGUAGE, restate=True))))
    whens += [(language.like(f"{lang}%"), _payload(alert.text(lang))) for lang in others]
    return case(*whens, else_=_payload(alert.text(DEFAULT_LANGUAGE)))


def user_recipients(alert: ChangeAlert, prefix: str, now: datetime) -> Select[Any]:
    """One outbox row per active subscriber whose settings want this kind of alert."""
    setting = notification_settings.c[alert.setting]
    payload = _texts(alert, users.c.telegram_id, func.lower(users.c.language))
    return (
        select(*_row(users.c.telegram_id, alert, prefix, payload, now))
        .select_from(
            subscriptions.join(users, users.c.id == subscriptions.c.user_id).outerjoin(
                notification_settings, notification_settings.c.user_id == users.c.id
            )
        )
        .where(
            subscriptions.c.region == alert.region,
            subscriptions.c.queue == alert.queue,
            users.c.active == true(),
            or_(setting.is_(None), setting == true()),
        )
    )


def channel_recipients(alert: ChangeAlert, prefix: str, now: datetime) -> Select[Any]:
    """One outbox row per active channel linked to a subscription of the alert's queue."""
    payload = _texts(alert, channels.c.chat_id, None)
    return (
        select(*_row(channels.c.chat_id, alert, prefix, payload, now))
        .select_from(channels.join(subscriptions, subscriptions.c.id == channels.c.subscription_id))
        .where(
            subscriptions.c.region == alert.region,
            subscriptions.c.queue == alert.queue,
            channels.c.status == ChannelStatus.ACTIVE.value,
        )
    )


async def _supersede(conn: AsyncConnection, topic: str, prefix: str) -> int:
    """Mark pending messages on ``topic`` superseded where the chat has the newer one."""
    newer = outbox.alias("newer")
    newest_key = literal(prefix) + cast(outbox.c.chat_id, String)
    statement = (
        update(outbox)
        .where(
            outbox.c.topic == topic,
            outbox.c.status == OutboxStatus.PENDING.value,
            outbox.c.idempotency_key != newest_key,
            exists().where(newer.c.idempotency_key == newest_key),
        )
        .values(status=OutboxStatus.SUPERSEDED.value)
    )
    return max((await conn.execute(statement)).rowcount, 0)


async def plan_alerts(
    conn: AsyncConnection,
    alerts: Sequence[tuple[ChangeAlert, int]],
    now: datetime,
) -> tuple[int, int]:
    """Queue each (alert, revision it replaces) for its recipients; (queued, superseded)."""
    queued = superseded = 0
    for alert, replaces in alerts:
        prefix = alert.key_prefix(replaces)
        for recipients in (user_recipients, channel_recipients):
            insert = upsert_insert(conn, outbox).from_select(
                list(OUTBOX_COLUMNS), recipients(alert, prefix, now)
            )
            result = await conn.execute(
                insert.on_conflict_do_nothing(index_elements=["idempotency_key"])
            )
            queued += max(result.rowcount, 0)
        superseded += await _supersede(conn, alert.topic, prefix)
    return queued, superseded
