"""A DTEK site serving many towns (``city = "*"``) against the local fake: the town first
(typos too), then that town's streets; a street of another town is not found; a refusal
is a refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from esvitlo.adapters.dtek_lookup import DtekLookup, DtekTownsLookup
from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.catalogue import AddressSource
from esvitlo.ports import AddressLookup, LookupRefused, LookupUnavailable, TownLookup
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.lookup_pacing import NoPacing
from esvitlo.testing.lookup_servers import FakeDtekSite

from step_clock import StepClock


@pytest.fixture
async def dtek() -> AsyncIterator[FakeDtekSite]:
    server = FakeDtekSite()
    await server.start()
    yield server
    await server.stop()


def _site(server: FakeDtekSite, city: str) -> DtekLookup:
    source = AddressSource(LookupKind.DTEK, server.base_url, (("city", city),))
    kind = DtekTownsLookup if city == "*" else DtekLookup
    return kind(source, NoPacing(), timeout=5.0)


def _finder(*lookups: AddressLookup) -> AddressFinder:
    return AddressFinder({"kyiv-region": list(lookups)}, StepClock(), failure_threshold=2)


async def test_town_then_street_then_house(dtek: FakeDtekSite) -> None:
    site = _site(dtek, "*")
    assert isinstance(site, TownLookup)
    found = _finder(site)
    try:
        assert found.asks_town("kyiv-region") and found.only_towns("kyiv-region")
        towns = await found.towns("kyiv-region", "Бородянко")  # a typo
        assert towns.exact is None and towns.found[0].name == "смт Бородянка"
        town = towns.found[0]
        streets = await found.streets("kyiv-region", "центральна", town, towns.source)
        assert streets.exact is not None and streets.exact.name == "вул. Центральна"
        houses = await found.houses("kyiv-region", streets.source, streets.exact, "3")
        assert [h.name for h in houses] == ["3"]
        assert await found.queue("kyiv-region", streets.source, streets.exact, houses[0]) == "6.2"
    finally:
        await found.close()


async def test_one_street_name_in_two_towns_and_a_street_of_the_wrong_town(
    dtek: FakeDtekSite,
) -> None:
    found = _finder(_site(dtek, "*"))
    try:
        assert (await found.resolve("kyiv-region", "Бровари, вул. Польова", "2")).queue == "2.2"
        assert (await found.resolve("kyiv-region", "с. Інше, Польова", "1")).queue == "1.1"
        wrong = await found.resolve("kyiv-region", "Бровари, вул. Центральна", "3")
        assert wrong.queue is None and wrong.town is not None and wrong.streets == ()
        nowhere = await found.resolve("kyiv-region", "Харків, вул. Польова", "2")
        assert nowhere.queue is None and nowhere.towns == ()
        with pytest.raises(LookupUnavailable):  # no town given, no one-city source
            await found.streets("kyiv-region", "Польова")
    finally:
        await found.close()


async def test_a_one_city_source_beside_answers_without_a_town(dtek: FakeDtekSite) -> None:
    found = _finder(_site(dtek, "*"), _site(dtek, "м. Київ"))
    try:
        assert found.asks_town("kyiv-region") and not found.only_towns("kyiv-region")
        streets = await found.streets("kyiv-region", "Хорива")
        assert streets.source == 1 and streets.exact is not None
        assert (await found.resolve("kyiv-region", "Хорива", "2")).queue == "5.2"
    finally:
        await found.close()


async def test_a_refused_page_is_a_refusal_for_the_towns(dtek: FakeDtekSite) -> None:
    found = _finder(_site(dtek, "*"))
    try:
        dtek.mode = "waf"
        with pytest.raises(LookupRefused):
            await found.towns("kyiv-region", "Бровари")
    finally:
        await found.close()
