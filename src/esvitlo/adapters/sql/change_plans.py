"""Planning schedule alerts in SQL: one ``INSERT … SELECT`` per version of an alert.

Users get one message per alert (one changed queue and check) when they are active, follow
the alert's (region, queue) and have the settings of one of its versions (no settings row
means the defaults, all on): each version's ``WHERE`` asks for exactly its settings on and
the others off, so every follower matches at most one. The text is picked in SQL by their
language. A recipient with a message still pending on the alert's topic gets the version
restated in full (they never saw what that one said); after the inserts that older message
is marked superseded, so only the newer one is sent. Channels get posts instead of alerts
(``channel_posts.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Select,
    String,
    case,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from esvitlo.adapters.sql.column_types import UtcDateTime
from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import notification_settings, outbox, subscriptions, users
from esvitlo.domain.alert_messages import AlertMessage
from esvitlo.domain.alerts import LANGUAGES, AlertVersion, ChangeAlert
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


def _encoded(value: Any) -> str:
    """JSON text as JsonText stores it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _payload(message: AlertMessage, subscription_id: Any) -> Any:
    """The message's payload as JSON text with the recipient's subscription id (``sub``, for
    the buttons) appended."""
    encoded = _encoded(message.payload())
    return literal(encoded[:-1] + ',"sub":') + cast(subscription_id, String) + literal("}")


def outbox_row(
    chat_id: Any, kind: str, topic: str, prefix: str, payload: Any, priority: int, now: datetime
) -> list[Any]:
    """The outbox columns of one recipient, in OUTBOX_COLUMNS order; the key is prefix+chat."""
    return [
        chat_id,
        literal(kind),
        literal(topic),
        literal(prefix) + cast(chat_id, String),
        payload,
        literal(OutboxStatus.PENDING.value),
        literal(priority),
        literal(now, UtcDateTime()),
        literal(0),
        literal(now, UtcDateTime()),
    ]


def _waiting_on_topic(chat_id: Any, topic: str) -> Any:
    """Whether the chat has a message on ``topic`` still waiting (about to be replaced).

    An uncorrelated ``IN``: the databases read the waiting chats once into a hash (SQLite: a
    temporary index). A correlated ``EXISTS`` probe per row lets PostgreSQL pick the (topic,
    status) index, which also holds the rows this very INSERT adds: quadratic, minutes for
    100,000 recipients.
    """
    older = outbox.alias("older")
    waiting = select(older.c.chat_id).where(
        older.c.topic == topic, older.c.status == OutboxStatus.PENDING.value
    )
    return chat_id.in_(waiting)


def _messages(
    version: AlertVersion, topic: str, chat_id: Any, language: Any, subscription_id: Any
) -> Any:
    """The version's message for a recipient: restated in full when it replaces one never
    sent, in the recipient's language, its buttons opening the recipient's address."""
    replacing = _waiting_on_topic(chat_id, topic)
    others = [lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE]

    def payload(lang: str, restate: bool = False) -> Any:
        return _payload(version.message(lang, restate=restate), subscription_id)

    whens = [(replacing & language.like(f"{lang}%"), payload(lang, True)) for lang in others]
    whens.append((replacing, payload(DEFAULT_LANGUAGE, True)))
    whens += [(language.like(f"{lang}%"), payload(lang)) for lang in others]
    return case(*whens, else_=payload(DEFAULT_LANGUAGE))


def _settings_match(version: AlertVersion) -> list[Any]:
    """The version's settings on and its other settings off (no settings row: all on)."""
    on = [
        or_(notification_settings.c[name].is_(None), notification_settings.c[name] == true())
        for name in sorted(version.wanted)
    ]
    return on + [notification_settings.c[name] == false() for name in sorted(version.unwanted)]


def user_recipients(
    alert: ChangeAlert, version: AlertVersion, prefix: str, now: datetime
) -> Select[Any]:
    """One outbox row per active subscriber whose settings pick this version of the alert."""
    payload = _messages(
        version, alert.topic, users.c.telegram_id, func.lower(users.c.language), subscriptions.c.id
    )
    row = outbox_row(
        users.c.telegram_id, alert.kind, alert.topic, prefix, payload, version.priority, now
    )
    return followers_select(row, alert.region, alert.queue, *_settings_match(version))


def followers_select(columns: Sequence[Any], region: str, queue: str, *where: Any) -> Select[Any]:
    """``columns`` for each active user following (region, queue) where ``where`` holds, with
    their notification settings joined (NULL columns for settings never changed)."""
    return (
        select(*columns)
        .select_from(
            subscriptions.join(users, users.c.id == subscriptions.c.user_id).outerjoin(
                notification_settings, notification_settings.c.user_id == users.c.id
            )
        )
        .where(
            subscriptions.c.region == region,
            subscriptions.c.queue == queue,
            users.c.active == true(),
            *where,
        )
    )


async def supersede(conn: AsyncConnection, topic: str, prefix: str) -> int:
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
    alerts: Sequence[tuple[ChangeAlert, Mapping[date, int]]],
    now: datetime,
) -> tuple[int, int]:
    """Queue each (alert, revisions its parts replace) for its recipients, one message each;
    (queued, superseded)."""
    queued = superseded = 0
    for alert, replaces in alerts:
        prefix = alert.key_prefix(replaces)
        for version in alert.versions:
            queued += await insert_rows(conn, user_recipients(alert, version, prefix, now))
        superseded += await supersede(conn, alert.topic, prefix)
    return queued, superseded


async def insert_rows(conn: AsyncConnection, rows: Select[Any]) -> int:
    """Insert outbox rows (OUTBOX_COLUMNS) skipping keys already there; the number added."""
    insert = upsert_insert(conn, outbox).from_select(list(OUTBOX_COLUMNS), rows)
    result = await conn.execute(insert.on_conflict_do_nothing(index_elements=["idempotency_key"]))
    return max(result.rowcount, 0)
