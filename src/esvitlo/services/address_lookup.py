"""Find a queue from a street and house, through each region's lookup sources.

Sources are asked in the catalogue's order; one that refuses or fails (or whose breaker is
open) hands over to the next, and when none answers the caller gets the last failure, so the
bot can offer the manual choice. Answers are cached for a day (streets by the text sent to
the source, houses by street), which also keeps repeated typing from reaching the operator.
What people typed is matched against the names by ``domain.address_lookup``.

A source serving many towns (``ports.TownLookup``) is asked for the town first; plain street
searches skip it. By text (the CLI, the daily re-check) such an address is "TOWN, STREET".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from esvitlo.domain.address_lookup import (
    exact,
    house_key,
    rank_houses,
    rank_streets,
    rank_towns,
    search_hint,
)
from esvitlo.ports import (
    AddressLookup,
    Candidate,
    Clock,
    LookupFailed,
    LookupNotFound,
    LookupUnavailable,
    TownLookup,
)
from esvitlo.services.breaker import CircuitBreaker

logger = logging.getLogger(__name__)

CACHE_FOR = timedelta(days=1)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Streets:
    """Streets matching what was typed, best first, from source number ``source``."""

    source: int
    found: tuple[Candidate, ...]
    exact: Candidate | None = None


@dataclass(frozen=True, slots=True)
class Towns:
    """Towns matching what was typed, best first, from (many-town) source number ``source``."""

    source: int
    found: tuple[Candidate, ...]
    exact: Candidate | None = None


@dataclass(frozen=True, slots=True)
class Resolved:
    """A whole lookup by text: the queue when found, else what came close."""

    queue: str | None
    street: Candidate | None = None
    house: Candidate | None = None
    streets: tuple[Candidate, ...] = ()
    houses: tuple[Candidate, ...] = ()
    town: Candidate | None = None
    towns: tuple[Candidate, ...] = ()


@dataclass
class _Source:
    lookup: AddressLookup
    breaker: CircuitBreaker
    cache: dict[tuple[str, ...], tuple[datetime, tuple[Candidate, ...]]] = field(
        default_factory=dict
    )


class AddressFinder:
    """The bot's and the CLI's way to the lookup sources, with breakers and a day's cache."""

    def __init__(
        self,
        sources: Mapping[str, Sequence[AddressLookup]],
        clock: Clock,
        *,
        failure_threshold: int = 3,
        reset_after: timedelta = timedelta(minutes=10),
    ) -> None:
        self._clock = clock
        self._sources = {
            region: [_Source(s, CircuitBreaker(failure_threshold, reset_after)) for s in items]
            for region, items in sources.items()
            if items
        }

    def has_lookup(self, region: str) -> bool:
        """Whether ``region`` has any lookup source (else the bot goes to the manual choice)."""
        return region in self._sources

    def asks_town(self, region: str) -> bool:
        """Whether ``region`` has a source serving many towns (the bot asks the town first)."""
        return any(isinstance(s.lookup, TownLookup) for s in self._sources.get(region, []))

    def only_towns(self, region: str) -> bool:
        """Whether every source of ``region`` needs a town (no street search without one)."""
        sources = self._sources.get(region, [])
        return bool(sources) and all(isinstance(s.lookup, TownLookup) for s in sources)

    async def towns(self, region: str, typed: str) -> Towns:
        """Towns close to ``typed``, from the first many-town source that answers; empty
        when none is close; LookupFailed when no such source answered."""
        failure: LookupFailed = LookupUnavailable(f"no many-town lookup source for {region}")
        for index, source in enumerate(self._sources.get(region, [])):
            lookup = source.lookup
            if not isinstance(lookup, TownLookup):
                continue
            try:
                names = await self._cached(source, ("towns",), lookup.towns)
            except LookupFailed as exc:
                failure = exc
                continue
            matches = rank_towns(typed, [c.name for c in names])
            hit = exact(matches)
            found = tuple(names[m.index] for m in matches)
            return Towns(index, found, names[hit] if hit is not None else None)
        raise failure

    async def streets(
        self, region: str, typed: str, town: Candidate | None = None, source: int = 0
    ) -> Streets:
        """Streets close to ``typed``: of ``town`` from many-town source number ``source``
        when a town is given, else from the first source (not needing a town) that answers;
        empty when none is close; LookupFailed when no source answered."""
        if town is not None:
            where = self._source(region, source)
            return self._ranked_streets(source, typed, await self._street_list(where, typed, town))
        failure: LookupFailed = LookupUnavailable(f"no lookup source for {region}")
        for index, each in enumerate(self._sources.get(region, [])):
            if isinstance(each.lookup, TownLookup):
                continue
            try:
                names = await self._street_list(each, typed, None)
            except LookupFailed as exc:
                failure = exc
                continue
            return self._ranked_streets(index, typed, names)
        raise failure

    @staticmethod
    def _ranked_streets(index: int, typed: str, names: list[Candidate]) -> Streets:
        matches = rank_streets(typed, [c.name for c in names])
        found = tuple(names[m.index] for m in matches)
        hit = exact(matches)
        return Streets(index, found, names[hit] if hit is not None else None)

    async def _street_list(
        self, source: _Source, typed: str, town: Candidate | None
    ) -> list[Candidate]:
        lookup = source.lookup

        def ask(hint: str) -> Callable[[], Awaitable[list[Candidate]]]:
            if town is None:
                return lambda: lookup.streets(hint)
            if not isinstance(lookup, TownLookup):
                raise LookupUnavailable(f"{lookup.operator}: serves one town")
            return lambda: lookup.town_streets(town, hint)

        where = () if town is None else (town.id,)
        hint = search_hint(typed)
        found = await self._cached(source, ("streets", *where, hint), ask(hint))
        if not found and len(hint) > 2:  # a typo in the first letters: ask more widely
            short = hint[:2]
            found = await self._cached(source, ("streets", *where, short), ask(short))
        return found

    async def houses(
        self, region: str, source: int, street: Candidate, typed: str
    ) -> list[Candidate]:
        """Houses of ``street`` close to ``typed`` (the same number first); empty when none."""
        where = self._source(region, source)
        key = ("houses", street.id, house_key(typed))
        found = await self._cached(where, key, lambda: where.lookup.houses(street, typed))
        return [found[m.index] for m in rank_houses(typed, [c.name for c in found])]

    async def queue(self, region: str, source: int, street: Candidate, house: Candidate) -> str:
        """The queue of a house; LookupNotFound when the source has none for it."""
        where = self._source(region, source)
        return await self._call(where, lambda: where.lookup.group(street, house))

    async def resolve(self, region: str, street_text: str, house_text: str) -> Resolved:
        """The whole chain by text, as the CLI and the daily re-check need it: the queue
        when the town (if any), the street matches exactly (or is the only close one) and
        the house exactly, else the close matches. In a region with many-town sources a
        street typed as "TOWN, STREET" is looked up in that town."""
        town: Candidate | None = None
        source = 0
        town_text, comma, rest = street_text.partition(",")
        if comma and rest.strip() and self.asks_town(region):
            towns = await self.towns(region, town_text)
            town = towns.exact or (towns.found[0] if len(towns.found) == 1 else None)
            if town is None:
                return Resolved(None, towns=towns.found)
            street_text, source = rest, towns.source
        streets = await self.streets(region, street_text, town, source)
        street = streets.exact or (streets.found[0] if len(streets.found) == 1 else None)
        if street is None:
            return Resolved(None, streets=streets.found, town=town)
        houses = await self.houses(region, streets.source, street, house_text)
        house = next((h for h in houses if house_key(h.name) == house_key(house_text)), None)
        if house is None:
            return Resolved(None, street=street, houses=tuple(houses), town=town)
        queue = await self.queue(region, streets.source, street, house)
        return Resolved(queue, street, house, town=town)

    def _source(self, region: str, index: int) -> _Source:
        sources = self._sources.get(region, [])
        if not 0 <= index < len(sources):
            raise LookupUnavailable(f"no lookup source #{index} for {region}")
        return sources[index]

    async def _cached(
        self,
        source: _Source,
        key: tuple[str, ...],
        call: Callable[[], Awaitable[list[Candidate]]],
    ) -> list[Candidate]:
        now = self._clock.now()
        hit = source.cache.get(key)
        if hit is not None and hit[0] > now:
            return list(hit[1])
        found = await self._call(source, call)
        source.cache[key] = (now + CACHE_FOR, tuple(found))
        return found

    async def _call(self, source: _Source, call: Callable[[], Awaitable[T]]) -> T:
        if not source.breaker.allow(self._clock.now()):
            raise LookupUnavailable(f"{source.lookup.operator}: breaker open")
        try:
            result = await call()
        except LookupNotFound:
            source.breaker.record_success()  # the source answered
            raise
        except LookupFailed as exc:
            source.breaker.record_failure(self._clock.now())
            logger.warning(
                "lookup.failed operator=%s error=%s breaker=%s",
                source.lookup.operator,
                exc,
                source.breaker.state,
            )
            raise
        source.breaker.record_success()
        return result

    async def close(self) -> None:
        """Close every source's connections."""
        for sources in self._sources.values():
            for source in sources:
                await source.lookup.close()
