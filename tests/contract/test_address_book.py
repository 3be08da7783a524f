"""Contract: addresses found by lookup (SqlAddressBook) and their daily re-check, on SQLite and
PostgreSQL, with an in-memory address source standing in for the operator."""

from __future__ import annotations

from datetime import timedelta

from sql_backends import START, StepClock

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.ports import Candidate, LookupUnavailable
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.address_recheck import AddressRecheck, RecheckReport


class _Houses:
    """ports.AddressLookup over a dict street → house → queue, with ids that are the names."""

    operator = "memory"

    def __init__(self) -> None:
        self.book = {"вул. Хрещатик": {"12а": "3.2", "1": "1.1"}}
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise LookupUnavailable("down")

    async def streets(self, query: str) -> list[Candidate]:
        self._check()
        return [Candidate(s, s) for s in self.book if query in s.casefold()]

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        self._check()
        return [Candidate(h, h) for h in self.book.get(street.id, {}) if h.startswith(query)]

    async def group(self, street: Candidate, house: Candidate) -> str:
        self._check()
        return self.book[street.id][house.id]

    async def close(self) -> None:
        return None


async def _subscribe(storage: SqlStorage, telegram_id: int, queue: str) -> tuple[int, int]:
    user = await storage.users.get_or_create(telegram_id, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", queue, "вул. Хрещатик, 12а")
    return user.id, sub.id


async def test_a_changed_queue_moves_the_subscription_and_tells_the_user(
    storage: SqlStorage, clock: StepClock
):
    source = _Houses()
    finder = AddressFinder({"kyiv": [source]}, clock)
    recheck = AddressRecheck(storage.address_book, finder, storage.outbox, clock)
    user_id, sub_id = await _subscribe(storage, 501, "3.2")
    await recheck.remember(sub_id, "вул. Хрещатик", "12а", "3.2")
    assert (await recheck.run_once()).checked == 0  # not due before a day has passed

    clock.advance(days=1, hours=3)
    unchanged = await recheck.run_once()
    assert (unchanged.checked, unchanged.moved) == (1, 0)
    assert await recheck.run_once() == RecheckReport()  # postponed by a day

    source.book["вул. Хрещатик"]["12а"] = "4.1"
    clock.advance(days=1, hours=3)
    moved = await recheck.run_once()
    assert (moved.checked, moved.moved) == (1, 1)
    (sub,) = await storage.subscriptions.list_for_user(user_id)
    assert sub.queue == "4.1"
    assert await storage.outbox.pending_count() == 1
    # the next day nothing more is said: the stored queue follows the new one
    clock.advance(days=1, hours=3)
    assert (await recheck.run_once()).moved == 0
    assert await storage.outbox.pending_count() == 1


async def test_a_failing_source_is_asked_again_later_and_a_followed_queue_is_not_doubled(
    storage: SqlStorage, clock: StepClock
):
    source = _Houses()
    recheck = AddressRecheck(
        storage.address_book, AddressFinder({"kyiv": [source]}, clock), storage.outbox, clock
    )
    user_id, sub_id = await _subscribe(storage, 502, "3.2")
    await _subscribe(storage, 502, "4.1")  # the user already follows the new queue
    await recheck.remember(sub_id, "вул. Хрещатик", "12а", "3.2")
    clock.advance(days=1, hours=3)
    source.down = True
    assert (await recheck.run_once()).failed == 1
    source.down = False
    source.book["вул. Хрещатик"]["12а"] = "4.1"
    clock.advance(hours=5)
    assert (await recheck.run_once()).checked == 0  # retried six hours after the failure
    clock.advance(hours=1, minutes=1)
    assert (await recheck.run_once()).moved == 1
    queues = sorted(s.queue for s in await storage.subscriptions.list_for_user(user_id))
    assert queues == ["3.2", "4.1"]  # told, but not made a duplicate


async def test_due_skips_inactive_users_and_goes_with_the_subscription(
    storage: SqlStorage, clock: StepClock
):
    book = storage.address_book
    _, first = await _subscribe(storage, 503, "3.2")
    user_id, second = await _subscribe(storage, 504, "3.2")
    for sub in (first, second):
        await book.save(sub, "вул. Хрещатик", "12а", "3.2", START + timedelta(hours=1))
    await storage.users.set_active(503, False)
    due = await book.due(START + timedelta(hours=2), 10)
    assert [(a.subscription_id, a.chat_id, a.street, a.queue) for a in due] == [
        (second, 504, "вул. Хрещатик", "3.2")
    ]
    await storage.subscriptions.remove(second, user_id)
    assert await book.due(START + timedelta(hours=2), 10) == []
