"""Contract: per-user limits hold under parallel requests on every backend.

Each call runs in its own task and so on its own pooled connection; the store counts and
inserts in one transaction behind the user's row (a row lock on PostgreSQL, the write lock
on SQLite), so exactly ``limit`` of them win whatever the interleaving.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sql_backends import StepClock

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.accounts import SubscriptionLimitReached
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.monitors import MonitorKind, MonitorLimitReached
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.accounts import AccountService, LimitReached
from esvitlo.services.monitors import AddStatus, MonitorService

TELEGRAM_ID = 7001
ANSWERED = ProbeResult(ProbeVerdict.ANSWERED, "tcp", "connected", "93.184.216.34", None, 20.0)


class AnsweringProber:
    """ports.Prober whose every target answers, after yielding to the other tasks."""

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        await asyncio.sleep(0)
        return ANSWERED


def monitor_service(storage: SqlStorage, clock: StepClock, limit: int) -> MonitorService:
    return MonitorService(
        storage.users, storage.subscriptions, storage.monitors, AnsweringProber(), clock,
        max_monitors=limit,
    )  # fmt: skip


async def home(storage: SqlStorage) -> tuple[int, int]:
    """The user's id and one address of theirs."""
    user = await storage.users.get_or_create(TELEGRAM_ID, "uk")
    return user.id, (await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")).id


def outcomes(results: list[object]) -> tuple[list[object], list[BaseException]]:
    """The results and the exceptions of a gather(return_exceptions=True)."""
    errors = [r for r in results if isinstance(r, BaseException)]
    return [r for r in results if not isinstance(r, BaseException)], errors


async def test_parallel_subscriptions_stop_at_the_limit(storage: SqlStorage):
    user = await storage.users.get_or_create(TELEGRAM_ID, "uk")
    added, refused = outcomes(
        await asyncio.gather(
            *(
                storage.subscriptions.add(user.id, "kyiv", f"{n}.1", "x", limit=5)
                for n in range(11)
            ),
            return_exceptions=True,
        )
    )
    assert len(added) == 5 and len(refused) == 6
    assert all(isinstance(e, SubscriptionLimitReached) for e in refused), refused
    assert await storage.subscriptions.count_for_user(user.id) == 5


async def test_parallel_deep_link_confirmations_stop_at_the_address_limit(storage: SqlStorage):
    accounts = AccountService(storage.users, storage.subscriptions, max_subscriptions=5)
    await accounts.subscribe(TELEGRAM_ID, "uk", "kyiv", "1.1", "first")
    added, refused = outcomes(
        await asyncio.gather(
            *(accounts.subscribe(TELEGRAM_ID, "uk", "kyiv", f"{n}.2", "x") for n in range(11)),
            return_exceptions=True,
        )
    )
    assert len(added) == 4 and all(isinstance(e, LimitReached) for e in refused), refused
    assert len(await accounts.addresses(TELEGRAM_ID)) == 5


async def test_a_duplicate_below_the_limit_is_still_a_duplicate(storage: SqlStorage):
    user = await storage.users.get_or_create(TELEGRAM_ID, "uk")
    await storage.subscriptions.add(user.id, "kyiv", "3.1", "home", limit=2)
    with pytest.raises(Exception, match="already follows"):
        await storage.subscriptions.add(user.id, "kyiv", "3.1", "again", limit=2)
    await storage.subscriptions.add(user.id, "kyiv", "4.1", "work", limit=2)
    with pytest.raises(SubscriptionLimitReached):
        await storage.subscriptions.add(user.id, "kyiv", "5.1", "more", limit=2)


async def test_parallel_monitor_adds_stop_at_the_limit(storage: SqlStorage):
    user_id, sub_id = await home(storage)
    probe = (MonitorKind.PROBE, "93.184.216.34", None, timedelta(0))
    added, refused = outcomes(
        await asyncio.gather(
            *(storage.monitors.add(user_id, sub_id, *probe, limit=3) for _ in range(10)),
            return_exceptions=True,
        )
    )
    assert len(added) == 3 and len(refused) == 7
    assert all(isinstance(e, MonitorLimitReached) for e in refused), refused
    assert await storage.monitors.count_for_user(user_id) == 3


async def test_parallel_typed_addresses_save_at_most_the_limit(
    storage: SqlStorage, clock: StepClock
):
    _, sub_id = await home(storage)
    svc = monitor_service(storage, clock, limit=3)
    typed = await asyncio.gather(
        *(svc.try_probe(TELEGRAM_ID, sub_id, f"93.184.216.{n}") for n in range(5))
    )
    assert sorted(a.status.value for a in typed) == ["limit"] * 2 + ["saved"] * 3
    confirmed = await asyncio.gather(
        *(svc.confirm_probe(TELEGRAM_ID, sub_id, f"93.184.216.{n}") for n in range(10))
    )
    assert {a.status for a in confirmed} == {AddStatus.LIMIT}
    assert len(await svc.monitors_of(TELEGRAM_ID)) == 3


async def test_parallel_saved_anyway_confirmations_save_at_most_the_limit(
    storage: SqlStorage, clock: StepClock
):
    _, sub_id = await home(storage)
    svc = monitor_service(storage, clock, limit=3)
    confirmed = await asyncio.gather(
        *(svc.confirm_probe(TELEGRAM_ID, sub_id, f"93.184.216.{n}") for n in range(10))
    )
    assert sorted(a.status.value for a in confirmed) == ["limit"] * 7 + ["saved"] * 3
    assert len(await svc.monitors_of(TELEGRAM_ID)) == 3


async def test_parallel_heartbeat_periods_save_at_most_the_limit(
    storage: SqlStorage, clock: StepClock
):
    _, sub_id = await home(storage)
    svc = monitor_service(storage, clock, limit=3)
    added, refused = outcomes(
        await asyncio.gather(
            *(svc.add_heartbeat(TELEGRAM_ID, sub_id, 60) for _ in range(6)),
            return_exceptions=True,
        )
    )
    assert len(added) == 3 and all(isinstance(e, MonitorLimitReached) for e in refused), refused
    assert len(await svc.monitors_of(TELEGRAM_ID)) == 3


async def test_the_limit_counts_the_users_monitors_only(storage: SqlStorage):
    user_id, sub_id = await home(storage)
    other = await storage.users.get_or_create(TELEGRAM_ID + 1, "uk")
    other_sub = (await storage.subscriptions.add(other.id, "kyiv", "3.1", "home")).id
    args = (MonitorKind.PROBE, "93.184.216.34", None, timedelta(0))
    await storage.monitors.add(other.id, other_sub, *args, limit=1)
    await storage.monitors.add(user_id, sub_id, *args, limit=1)
    with pytest.raises(MonitorLimitReached):
        await storage.monitors.add(user_id, sub_id, *args, limit=1)
    await storage.monitors.add(user_id, sub_id, *args)  # no limit: the caller decided
    assert await storage.monitors.count_for_user(user_id) == 2
