"""The Cherkasy cabinet API against the local fake: town → street → house → the queue of
the house's account; a house without an account is not found; a refusal is a refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from esvitlo.adapters.cherkasy_lookup import CherkasyLookup, queue_of
from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.catalogue import AddressSource
from esvitlo.ports import Candidate, LookupNotFound, LookupRefused, TownLookup
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.lookup_pacing import NoPacing
from esvitlo.testing.lookup_servers import FakeCherkasy

from step_clock import StepClock


@pytest.fixture
async def cabinet() -> AsyncIterator[FakeCherkasy]:
    server = FakeCherkasy()
    await server.start()
    yield server
    await server.stop()


def _lookup(server: FakeCherkasy) -> CherkasyLookup:
    source = AddressSource(LookupKind.CHERKASY, f"{server.base_url}/disconn.php", ())
    return CherkasyLookup(source, NoPacing(), timeout=5.0)


def _finder(lookup: CherkasyLookup) -> AddressFinder:
    return AddressFinder({"cherkasy": [lookup]}, StepClock(), failure_threshold=2)


async def test_town_then_street_then_house_then_queue(cabinet: FakeCherkasy) -> None:
    lookup = _lookup(cabinet)
    assert isinstance(lookup, TownLookup)
    found = _finder(lookup)
    try:
        assert found.asks_town("cherkasy") and found.only_towns("cherkasy")
        towns = await found.towns("cherkasy", "Сміла")
        assert towns.exact is not None and towns.exact.name == "м. Сміла"
        streets = await found.streets("cherkasy", "Тулуб", towns.exact, towns.source)
        assert [s.name for s in streets.found] == ["вул. Зінаїди Тулуб"]
        resolved = await found.resolve("cherkasy", "м. Черкаси, вул. Зінаїди Тулуб", "12")
        assert resolved.queue == "4.1"  # the hourly schedule's line, not the emergency one
        assert (await found.resolve("cherkasy", "Сміла, Зінаїди Тулуб", "1")).queue == "1.2"
        assert len(cabinet.accounts_asked) == 2  # one account asked per house
    finally:
        await found.close()


async def test_a_house_without_an_account_is_not_found(cabinet: FakeCherkasy) -> None:
    lookup = _lookup(cabinet)
    try:
        town = next(t for t in await lookup.towns() if t.name == "м. Черкаси")
        street = (await lookup.town_streets(town, "Броварна"))[0]
        houses = await lookup.houses(street, "3")
        assert [h.name for h in houses] == ["3"]
        with pytest.raises(LookupNotFound):
            await lookup.group(street, houses[0])
        assert cabinet.accounts_asked == []
    finally:
        await lookup.close()


async def test_a_challenge_page_and_an_unknown_op_are_refusals(cabinet: FakeCherkasy) -> None:
    lookup = _lookup(cabinet)
    try:
        with pytest.raises(LookupRefused):  # {"result": "Operation not supported"}
            await lookup._list("no_such_op")
        cabinet.mode = "challenge"
        with pytest.raises(LookupRefused):
            await lookup.towns()
        cabinet.mode = "waf"
        with pytest.raises(LookupRefused):
            await lookup.town_streets(Candidate("100", "м. Черкаси"), "Тулуб")
    finally:
        await lookup.close()


def test_the_queue_is_read_from_the_hourly_schedule_line() -> None:
    lines = [
        {"QUEUE_INFO": "Графік аварійних відключень - 3 черга"},
        {"QUEUE_INFO": "Графік погодинних відключень - 5 черга 2 підчерга"},
    ]
    assert queue_of({"DISCONN_QUEUQ": lines}) == "5.2"
    assert queue_of({"DISCONN_QUEUQ": []}) is None
    with pytest.raises(LookupRefused):
        queue_of(["not", "a", "dict"])
