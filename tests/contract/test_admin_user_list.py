"""Contract: the admin's user list, the newest first, by Telegram id prefix or region, on
every backend."""

from __future__ import annotations

from sql_backends import StepClock

from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.admin_messages import UserFilter


async def test_the_newest_users_by_id_prefix_or_region_with_counts_and_no_labels(
    storage: SqlStorage, clock: StepClock
):
    olena = await storage.users.get_or_create(7_000_000_001, "uk")
    await storage.subscriptions.add(olena.id, "kyiv", "3.1", "Мамин дім")
    await storage.subscriptions.add(olena.id, "dnipro", "1001.2", "Дача")
    await storage.subscriptions.add(olena.id, "kyiv", "4.1", "Робота")
    clock.advance(minutes=1)
    petro = await storage.users.get_or_create(7_100_000_002, "en")
    await storage.subscriptions.add(petro.id, "dnipro", "1001.1", "Дім")
    clock.advance(minutes=1)
    await storage.users.get_or_create(8_000_000_003, "uk")  # no address yet

    everyone = await storage.admin.users(UserFilter(), 20)
    assert [u.telegram_id for u in everyone.users] == [8_000_000_003, 7_100_000_002, 7_000_000_001]
    assert everyone.total == 3
    first_olena = everyone.users[2]
    assert (first_olena.language, first_olena.active, first_olena.addresses) == ("uk", True, 3)
    assert first_olena.regions == ("dnipro", "kyiv")
    assert everyone.users[0].regions == () and everyone.users[0].addresses == 0

    newest = await storage.admin.users(UserFilter(), 2)
    assert len(newest.users) == 2 and newest.total == 3

    by_prefix = await storage.admin.users(UserFilter.parse("7"), 20)
    assert [u.telegram_id for u in by_prefix.users] == [7_100_000_002, 7_000_000_001]
    by_longer_prefix = await storage.admin.users(UserFilter.parse("7000"), 20)
    assert [u.telegram_id for u in by_longer_prefix.users] == [7_000_000_001]

    in_dnipro = await storage.admin.users(UserFilter.parse("Dnipro"), 20)
    assert [u.telegram_id for u in in_dnipro.users] == [7_100_000_002, 7_000_000_001]
    assert in_dnipro.users[0].addresses == 1 and in_dnipro.total == 2
    nowhere = await storage.admin.users(UserFilter.parse("lviv"), 20)
    assert nowhere.users == () and nowhere.total == 0


def test_a_query_is_an_id_prefix_only_when_it_is_ascii_digits():
    assert UserFilter.parse("  ") == UserFilter()
    assert UserFilter.parse("123") == UserFilter(telegram_prefix="123")
    assert UserFilter.parse("Kyiv ") == UserFilter(region="kyiv")
    assert UserFilter.parse("١٢٣") == UserFilter(region="١٢٣")  # Arabic-Indic digits
    assert UserFilter.parse("1" * 21) == UserFilter(region="1" * 21)
