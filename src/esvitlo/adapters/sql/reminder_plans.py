"""Reminders in the outbox: queues' plans applied by reading once and writing differences.

``SqlReminderStore.apply_reminders`` reads, per region, every active follower of the planned
queues with their settings (one join; no settings row means the defaults) and the keys of
the reminders waiting on those queues' topics. For each queue, the domain gives the wanted
idempotency keys (``reminder:{region}:{queue}:{reminder key}:{chat id}``); waiting keys not
wanted are to be withdrawn; wanted keys not waiting are looked up: superseded or dropped
ones are restored, missing ones of upcoming reminders inserted (with the text in the
recipient's language), others (sent, being sent) left alone. A queue with nothing to change
costs no write. One that has changes gets one short transaction that first takes its
``schedule_queues`` row (a no-op UPDATE: the row lock on PostgreSQL, the write lock on
SQLite), so a concurrent save of that queue waits, and checks that the stored days are the
ones its plan was computed from (else the plan is stale and nothing is written).

Why not ``INSERT … SELECT`` per lead time: the plan is re-applied every minute for every
queue, and nearly always nothing changed; one read per region and writes of differences
keep that cheap (on PostgreSQL the per-queue join alone costs a scan of ``users``).

The schedule store calls :func:`withdraw_moved_reminders` in the transaction that changes a
queue's days, so a reminder of an outage that moved or vanished is withdrawn before anyone
can send it; the planner, told of the check right after, restores the ones still right.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esvitlo.adapters.sql.dialect import upsert_insert
from esvitlo.adapters.sql.tables import (
    notification_settings,
    outbox,
    schedule_days,
    schedule_queues,
    subscriptions,
    users,
)
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.delivery import PRIORITY_REMINDER, OutboxStatus
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.reminder_alerts import (
    REMINDER,
    Lead,
    QueueReminders,
    Recipient,
    ReminderAlert,
    addressed,
    chosen_leads,
    reminder_topic,
)
from esvitlo.domain.texts import language_code
from esvitlo.ports import ReminderOutcome

logger = logging.getLogger(__name__)

PENDING = OutboxStatus.PENDING.value
RESTORABLE = (OutboxStatus.SUPERSEDED.value, OutboxStatus.DROPPED.value)
CHUNK = 500  # keys per statement, well inside both drivers' parameter limits
DEFAULTS = NotificationSettings(0)
DEFAULT_LEADS = chosen_leads(
    DEFAULTS.reminders, DEFAULTS.remind_before_off, DEFAULTS.remind_before_on
)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


@functools.cache
def _leads(
    reminders: bool | None, before_off: str | None, before_on: str | None
) -> frozenset[Lead]:
    """The reminders a settings row wants (None: no row, the defaults); few distinct rows."""
    if reminders is None or before_off is None or before_on is None:
        return DEFAULT_LEADS
    minutes = ([int(part) for part in text.split(",") if part] for text in (before_off, before_on))
    return chosen_leads(bool(reminders), *minutes)


@dataclass
class _Changes:
    """What one queue's waiting reminders need: keys to withdraw and restore, rows to add."""

    withdraw: list[str] = field(default_factory=list)
    restore: list[str] = field(default_factory=list)
    insert: list[dict[str, Any]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.withdraw or self.restore or self.insert)


def _row(
    key: str, alert: ReminderAlert, recipient: Recipient, plan: QueueReminders
) -> dict[str, Any]:
    return {
        "chat_id": recipient.chat_id,
        "kind": REMINDER,
        "topic": alert.topic,
        "idempotency_key": key,
        "payload": {"text": alert.text_for(recipient)},
        "status": PENDING,
        "priority": alert.priority,
        "due_at": alert.due_at,
        "attempts": 0,
        "created_at": plan.now,
    }


async def _recipients(
    conn: AsyncConnection, region: str, queues: Iterable[str]
) -> dict[str, list[Recipient]]:
    """The active followers of a region's queues who want any reminder, per queue."""
    query = (
        select(
            subscriptions.c.queue,
            users.c.telegram_id,
            users.c.language,
            subscriptions.c.label,
            notification_settings.c.reminders,
            notification_settings.c.remind_before_off,
            notification_settings.c.remind_before_on,
        )
        .select_from(
            subscriptions.join(users, users.c.id == subscriptions.c.user_id).outerjoin(
                notification_settings, notification_settings.c.user_id == users.c.id
            )
        )
        .where(
            subscriptions.c.region == region,
            subscriptions.c.queue.in_(sorted(set(queues))),
            users.c.active == true(),
        )
    )
    found: dict[str, list[Recipient]] = {}
    for row in await conn.execute(query):
        leads = _leads(row.reminders, row.remind_before_off, row.remind_before_on)
        if leads:
            recipient = Recipient(row.telegram_id, language_code(row.language), leads, row.label)
            found.setdefault(row.queue, []).append(recipient)
    return found


async def _waiting(conn: AsyncConnection, topics: Sequence[str]) -> dict[str, set[str]]:
    """The keys of the reminders waiting on each topic."""
    waiting: dict[str, set[str]] = {topic: set() for topic in topics}
    query = select(outbox.c.topic, outbox.c.idempotency_key).where(
        outbox.c.topic.in_(topics), outbox.c.status == PENDING
    )
    for topic, key in await conn.execute(query):
        waiting[topic].add(key)
    return waiting


async def _statuses(conn: AsyncConnection, keys: Sequence[str]) -> dict[str, str]:
    """The status of each of these keys that has a row."""
    statuses: dict[str, str] = {}
    for chunk in _chunks(keys):
        query = select(outbox.c.idempotency_key, outbox.c.status).where(
            outbox.c.idempotency_key.in_(chunk)
        )
        statuses.update((key, status) for key, status in await conn.execute(query))
    return statuses


async def _changes(
    conn: AsyncConnection, plan: QueueReminders, recipients: Sequence[Recipient], waiting: set[str]
) -> _Changes:
    """Compare what the plan wants for these recipients with what waits."""
    wanted = addressed(plan, recipients)
    changes = _Changes(withdraw=sorted(waiting - wanted.keys()))
    missing = sorted(wanted.keys() - waiting)
    statuses = await _statuses(conn, missing) if missing else {}
    for key in missing:
        status = statuses.get(key)
        alert, recipient = wanted[key]
        if status in RESTORABLE:
            changes.restore.append(key)
        elif status is None and alert.due_at > plan.now:
            changes.insert.append(_row(key, alert, recipient, plan))
    return changes


async def _same_days(conn: AsyncConnection, plan: QueueReminders) -> bool:
    """Lock the queue against a concurrent save, then compare its days with the plan's basis."""
    await conn.execute(
        update(schedule_queues)
        .where(schedule_queues.c.region == plan.region, schedule_queues.c.queue == plan.queue)
        .values(updated_at=schedule_queues.c.updated_at)
    )
    rows = await conn.execute(
        select(schedule_days.c.day, schedule_days.c.fingerprint).where(
            schedule_days.c.region == plan.region, schedule_days.c.queue == plan.queue
        )
    )
    return {row.day: row.fingerprint for row in rows} == dict(plan.basis)


async def _set_status(
    conn: AsyncConnection, keys: Sequence[str], old: Sequence[str], new: str
) -> int:
    changed = 0
    for chunk in _chunks(keys):
        result = await conn.execute(
            update(outbox)
            .where(outbox.c.idempotency_key.in_(chunk), outbox.c.status.in_(old))
            .values(status=new)
        )
        changed += max(result.rowcount, 0)
    return changed


async def _insert(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> int:
    """Add rows whose key is new (one statement; SQLAlchemy sends it in batches)."""
    if not rows:
        return 0
    insert = upsert_insert(conn, outbox).on_conflict_do_nothing(index_elements=["idempotency_key"])
    result = await conn.execute(insert.returning(outbox.c.id), list(rows))
    return len(result.all())


def _moved(
    before: Mapping[tuple[str, date], str], after: Mapping[str, Mapping[date, DaySchedule]]
) -> list[str]:
    """The queues of ``after`` whose days (by fingerprint) differ from ``before``."""
    old: dict[str, dict[date, str]] = {}
    for (queue, day), stamp in before.items():
        old.setdefault(queue, {})[day] = stamp
    return sorted(
        queue
        for queue, days in after.items()
        if old.get(queue, {}) != {day: fingerprint(schedule) for day, schedule in days.items()}
    )


async def withdraw_moved_reminders(
    conn: AsyncConnection,
    region: str,
    before: Mapping[tuple[str, date], str],
    after: Mapping[str, Mapping[date, DaySchedule]],
) -> int:
    """Mark every waiting reminder of the queues whose days change superseded; how many.

    ``before`` holds the stored fingerprint per (queue, date), ``after`` the days replacing
    them; called in the transaction that stores ``after``.
    """
    topics = [reminder_topic(region, queue) for queue in _moved(before, after)]
    if not topics:
        return 0
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.topic.in_(topics), outbox.c.status == PENDING)
        .values(status=OutboxStatus.SUPERSEDED.value)
    )
    withdrawn = max(result.rowcount, 0)
    if withdrawn:
        logger.info(
            "reminders.withdrawn region=%s queues=%d count=%d", region, len(topics), withdrawn
        )
    return withdrawn


class SqlReminderStore:
    """ports.ReminderStore on SQLAlchemy Core; see the module docstring."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def reminder_queues(self) -> Mapping[str, Sequence[str]]:
        """Queues per region followed by an active user, or with reminders waiting."""
        followed = (
            select(subscriptions.c.region, subscriptions.c.queue)
            .select_from(subscriptions.join(users, users.c.id == subscriptions.c.user_id))
            .where(users.c.active == true())
            .distinct()
        )
        waiting = select(outbox.c.topic).where(
            outbox.c.status == PENDING,
            outbox.c.priority == PRIORITY_REMINDER,
            outbox.c.kind == REMINDER,
        )
        async with self._engine.connect() as conn:
            pairs = {(row.region, row.queue) for row in await conn.execute(followed)}
            for topic in (await conn.execute(waiting.distinct())).scalars():
                _, region, queue = topic.split(":", 2)
                pairs.add((region, queue))
        queues: dict[str, list[str]] = {}
        for region, queue in sorted(pairs):
            queues.setdefault(region, []).append(queue)
        return queues

    async def apply_reminders(self, plans: Sequence[QueueReminders]) -> ReminderOutcome:
        """Read per region, then write each queue's differences; see the module docstring."""
        queued = withdrawn = 0
        stale: list[tuple[str, str]] = []
        wanted: list[tuple[str, str, frozenset[Lead]]] = []
        by_region: dict[str, list[QueueReminders]] = {}
        for plan in plans:
            by_region.setdefault(plan.region, []).append(plan)
        for region, region_plans in by_region.items():
            async with self._engine.connect() as conn:
                recipients = await _recipients(conn, region, (p.queue for p in region_plans))
                waiting = await _waiting(conn, [p.topic for p in region_plans])
                changes = [
                    (p, await _changes(conn, p, recipients.get(p.queue, []), waiting[p.topic]))
                    for p in region_plans
                ]
            for plan in region_plans:
                leads = (r.leads for r in recipients.get(plan.queue, ()))
                wanted.append((region, plan.queue, frozenset().union(*leads)))
            for plan, change in changes:
                if not change:
                    continue
                async with self._engine.begin() as conn:
                    if not await _same_days(conn, plan):
                        stale.append((plan.region, plan.queue))
                        continue
                    withdrawn += await _set_status(
                        conn, change.withdraw, [PENDING], OutboxStatus.SUPERSEDED.value
                    )
                    queued += await _set_status(conn, change.restore, RESTORABLE, PENDING)
                    queued += await _insert(conn, change.insert)
        return ReminderOutcome(queued, withdrawn, tuple(stale), tuple(wanted))
