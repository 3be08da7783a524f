"""Address lookup against local fake operator APIs: answers, refusals, failures, caching."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from esvitlo.adapters.dtek_lookup import DtekLookup
from esvitlo.adapters.poweron_lookup import PowerOnLookup
from esvitlo.adapters.yasno_lookup import YasnoLookup
from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.catalogue import AddressSource
from esvitlo.ports import (
    AddressLookup,
    Candidate,
    LookupNotFound,
    LookupRefused,
    LookupUnavailable,
)
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.lookup_pacing import NoPacing
from esvitlo.testing.lookup_servers import FakeDtekSite, FakePowerOn, FakeYasno

from step_clock import StepClock


@pytest.fixture
async def yasno() -> AsyncIterator[FakeYasno]:
    server = FakeYasno()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def dtek() -> AsyncIterator[FakeDtekSite]:
    server = FakeDtekSite()
    await server.start()
    yield server
    await server.stop()


def yasno_lookup(server: FakeYasno, timeout: float = 5.0) -> YasnoLookup:
    source = AddressSource(
        LookupKind.YASNO, server.base_url, (("region_id", "25"), ("dso_id", "902"))
    )
    return YasnoLookup(source, NoPacing(), timeout=timeout)


def dtek_lookup(server: FakeDtekSite) -> DtekLookup:
    source = AddressSource(LookupKind.DTEK, server.base_url, (("city", "м. Київ"),))
    return DtekLookup(source, NoPacing(), timeout=5.0)


def finder(*lookups: AddressLookup, clock: StepClock | None = None) -> AddressFinder:
    return AddressFinder({"kyiv": list(lookups)}, clock or StepClock(), failure_threshold=2)


async def test_yasno_chain_finds_the_queue_from_a_typo(yasno: FakeYasno) -> None:
    found = finder(yasno_lookup(yasno))
    try:
        streets = await found.streets("kyiv", "Хрещатік")
        assert streets.found[0].name == "вул. Хрещатик"
        houses = await found.houses("kyiv", streets.source, streets.found[0], "12-А")
        assert houses[0].name == "12а"
        assert await found.queue("kyiv", streets.source, streets.found[0], houses[0]) == "3.2"
        resolved = await found.resolve("kyiv", "вулиця Хрещатик", "12/1")
        assert resolved.queue == "4.1"
        assert resolved.house is not None and resolved.house.name == "12/1"
    finally:
        await found.close()


async def test_yasno_renumbered_ids_answer_not_found_and_text_resolves_again(
    yasno: FakeYasno,
) -> None:
    lookup = yasno_lookup(yasno)
    try:
        street = (await lookup.streets("Хорива"))[0]
        house = (await lookup.houses(street, "4"))[0]
        yasno.renumber()
        with pytest.raises(LookupNotFound):
            await lookup.group(street, house)
        again = AddressFinder({"kyiv": [lookup]}, StepClock())
        assert (await again.resolve("kyiv", "Хорива", "4")).queue == "5.2"
    finally:
        await lookup.close()


async def test_nothing_found_is_an_empty_answer_with_no_error(yasno: FakeYasno) -> None:
    found = finder(yasno_lookup(yasno))
    try:
        assert (await found.streets("kyiv", "Шевченка")).found == ()
        resolved = await found.resolve("kyiv", "Хрещатик", "999")
        assert resolved.queue is None and resolved.street is not None
        assert resolved.houses == ()
    finally:
        await found.close()


async def test_waf_refusal_and_timeout_map_to_their_errors(yasno: FakeYasno) -> None:
    lookup = yasno_lookup(yasno, timeout=0.2)
    try:
        yasno.mode = "waf"
        with pytest.raises(LookupRefused):
            await lookup.streets("Хрещатик")
        yasno.mode, yasno.delay = "slow", 0.4
        with pytest.raises(LookupUnavailable):
            await lookup.streets("Хрещатик")
        yasno.mode = "down"
        with pytest.raises(LookupUnavailable):
            await lookup.streets("Хрещатик")
    finally:
        await lookup.close()


async def test_dtek_site_session_token_and_whole_street(dtek: FakeDtekSite) -> None:
    found = finder(dtek_lookup(dtek))
    try:
        resolved = await found.resolve("kyiv", "Хрещат", "1")
        assert resolved.queue is None  # two streets start so: the close matches, no queue
        assert [s.name for s in resolved.streets] == ["вул. Хрещатик", "вул. Хрещатицька"]
        resolved = await found.resolve("kyiv", "Бандери", "10")  # the only close one
        assert resolved.queue == "2.2"
        assert resolved.street == Candidate("просп. Степана Бандери", "просп. Степана Бандери")
        requests = len(dtek.times)
        assert (await found.resolve("kyiv", "проспект Степана Бандери", "8")).queue == "6.1"
        assert len(dtek.times) == requests  # the street's houses came in one answer, cached
    finally:
        await found.close()


async def test_dtek_refusal_falls_over_to_the_next_source_then_fails_as_refused(
    dtek: FakeDtekSite, yasno: FakeYasno
) -> None:
    found = finder(dtek_lookup(dtek), yasno_lookup(yasno))
    try:
        dtek.mode = "waf"
        streets = await found.streets("kyiv", "Хорива")
        assert streets.source == 1 and streets.exact is not None
        yasno.mode = "waf"
        with pytest.raises(LookupRefused):
            await found.streets("kyiv", "Обʼєднання")
    finally:
        await found.close()


async def test_a_challenge_page_with_status_200_is_a_refusal(
    dtek: FakeDtekSite, yasno: FakeYasno
) -> None:
    site, api = dtek_lookup(dtek), yasno_lookup(yasno)
    try:
        dtek.mode = yasno.mode = "challenge"
        with pytest.raises(LookupRefused):
            await site.streets("Хрещатик")
        with pytest.raises(LookupRefused):
            await api.streets("Хрещатик")
    finally:
        await site.close()
        await api.close()


async def test_breaker_opens_and_cache_spares_the_source(yasno: FakeYasno) -> None:
    clock = StepClock()
    found = finder(yasno_lookup(yasno), clock=clock)
    try:
        await found.streets("kyiv", "Хрещатик")
        asked = len(yasno.times)
        await found.streets("kyiv", "вул. Хрещатик")  # the same text sent: from the cache
        assert len(yasno.times) == asked
        yasno.mode = "down"
        for typed in ("Хорива", "Хорива"):
            with pytest.raises(LookupUnavailable):
                await found.streets("kyiv", typed)
        asked = len(yasno.times)
        with pytest.raises(LookupUnavailable, match="breaker open"):
            await found.streets("kyiv", "Бандери")
        assert len(yasno.times) == asked
        yasno.mode = "ok"
        clock.advance(minutes=11)
        assert (await found.streets("kyiv", "Бандери")).found
        clock.advance(days=1, seconds=1)  # the day's cache is over: asked again
        asked = len(yasno.times)
        await found.streets("kyiv", "Хрещатик")
        assert len(yasno.times) > asked
    finally:
        await found.close()


def test_a_region_without_sources_has_no_lookup() -> None:
    found = AddressFinder({"kyiv": [], "dnipro": []}, StepClock())
    assert not found.has_lookup("kyiv")
    assert timedelta(days=1)  # the cache's span is a day (CACHE_FOR)


async def test_poweron_city_then_street_then_the_houses_queue() -> None:
    server = FakePowerOn()
    await server.start()
    source = AddressSource(LookupKind.POWERON, server.base_url, (("city", "Тернопіль"),))
    found = finder(PowerOnLookup(source, NoPacing(), timeout=5.0))
    try:
        # houses named by the API: each has its own queue
        assert (await found.resolve("kyiv", "Хрещатик", "12-а")).queue == "3.2"
        # a street whose houses share one queue: any house typed gets it
        assert (await found.resolve("kyiv", "Хорива", "17")).queue == "5.2"
        # several queues on a street without house names: not decidable, the manual choice
        server.book["вул. Хрещатицька"] = {"5": "2.1", "7": "2.2"}
        with pytest.raises(LookupNotFound):
            await found.resolve("kyiv", "Хрещатицька", "5")
    finally:
        await found.close()
        await server.stop()
