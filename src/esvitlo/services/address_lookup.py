"""Find a queue from a street and house, through each region's lookup sources.

Sources are asked in the catalogue's order; one that refuses or fails (or whose breaker is
open) hands over to the next, and when none answers the caller gets the last failure, so the
bot can offer the manual choice. Answers are cached for a day (streets by the text sent to
the source, houses by street), which also keeps repeated typing from reaching the operator.
What people typed is matched against the names by ``domain.address_lookup``.
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
    search_hint,
)
from esvitlo.ports import (
    AddressLookup,
    Candidate,
    Clock,
    LookupFailed,
    LookupNotFound,
    LookupUnavailable,
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
class Resolved:
    """A whole lookup by text: the queue when found, else what came close."""

    queue: str | None
    street: Candidate | None = None
    house: Candidate | None = None
    streets: tuple[Candidate, ...] = ()
    houses: tuple[Candidate, ...] = ()


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

    async def streets(self, region: str, typed: str) -> Streets:
        """Streets close to ``typed``, from the first source that answers; empty when none
        is close; LookupFailed when no source answered."""
        failure: LookupFailed = LookupUnavailable(f"no lookup source for {region}")
        for index, source in enumerate(self._sources.get(region, [])):
            try:
                names = await self._street_list(source, typed)
            except LookupFailed as exc:
                failure = exc
                continue
            matches = rank_streets(typed, [c.name for c in names])
            found = tuple(names[m.index] for m in matches)
            hit = exact(matches)
            return Streets(index, found, names[hit] if hit is not None else None)
        raise failure

    async def _street_list(self, source: _Source, typed: str) -> list[Candidate]:
        hint = search_hint(typed)
        found = await self._cached(source, ("streets", hint), lambda: source.lookup.streets(hint))
        if not found and len(hint) > 2:  # a typo in the first letters: ask more widely
            short = hint[:2]
            found = await self._cached(
                source, ("streets", short), lambda: source.lookup.streets(short)
            )
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
        when the street matches exactly (or is the only close one) and the house exactly,
        else the close matches."""
        streets = await self.streets(region, street_text)
        street = streets.exact or (streets.found[0] if len(streets.found) == 1 else None)
        if street is None:
            return Resolved(None, streets=streets.found)
        houses = await self.houses(region, streets.source, street, house_text)
        house = next((h for h in houses if house_key(h.name) == house_key(house_text)), None)
        if house is None:
            return Resolved(None, street=street, houses=tuple(houses))
        queue = await self.queue(region, streets.source, street, house)
        return Resolved(queue, street, house)

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
