"""Address lookup: an operator's street → house → queue chain, one adapter per source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from esvitlo.domain.address_lookup import FoundAddress


@dataclass(frozen=True, slots=True)
class Candidate:
    """A street or house as the source names it; ``id`` is the source's key for it (YASNO's
    numeric id as text; sources without ids use the name itself)."""

    id: str
    name: str


class LookupFailed(Exception):
    """A lookup could not be answered; the subclasses say why."""


class LookupRefused(LookupFailed):
    """The source refused us (bot protection, a challenge page, an answer that is not data):
    the user gets the manual choice of queue, never an error."""


class LookupUnavailable(LookupFailed):
    """The source did not answer in time, failed (5xx, network) or its breaker is open."""


class LookupNotFound(LookupFailed):
    """The source knows no such street or house (also an id renumbered since: 404)."""


class AddressLookup(Protocol):
    """One region's address source: street search, a street's houses, a house's queue."""

    @property
    def operator(self) -> str:
        """The operator's name, shared by its regions' lookups (the rate limit's key)."""
        ...

    async def streets(self, query: str) -> list[Candidate]:
        """Streets whose name contains ``query`` as the source searches; may be empty."""
        ...

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        """Houses of ``street`` matching ``query`` as the source searches (a source that
        knows a street's houses at once returns them all); LookupNotFound when the street's
        id is unknown."""
        ...

    async def group(self, street: Candidate, house: Candidate) -> str:
        """The queue of a house, bare (``3.1``); LookupNotFound when it has none."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


@runtime_checkable
class TownLookup(AddressLookup, Protocol):
    """A source serving many towns (a DTEK site for a whole oblast): the town comes first,
    then its streets; the street candidates it gives carry their town to ``houses``."""

    async def towns(self) -> list[Candidate]:
        """Every town the source lists (the caller ranks them)."""
        ...

    async def town_streets(self, town: Candidate, query: str) -> list[Candidate]:
        """Streets of ``town`` (matching ``query`` as the source searches); may be empty."""
        ...


class RequestPacer(Protocol):
    """Spaces requests to one operator: at most one a second across every instance."""

    async def wait_turn(self, operator: str) -> None:
        """Return when a request to ``operator`` may be sent."""
        ...


class AddressBook(Protocol):
    """The street and house each looked-up subscription came from, re-checked daily."""

    async def save(
        self, subscription_id: int, street: str, house: str, queue: str, next_check_at: datetime
    ) -> None:
        """Keep (or replace) the address a subscription was found from."""
        ...

    async def due(self, now: datetime, limit: int) -> list[FoundAddress]:
        """Up to ``limit`` addresses of active users due for a re-check at ``now``, the
        longest waiting first."""
        ...

    async def postpone(self, subscription_id: int, next_check_at: datetime) -> None:
        """Checked (unchanged, or the source failed): look again at ``next_check_at``."""
        ...

    async def move(self, subscription_id: int, queue: str, next_check_at: datetime) -> bool:
        """The house's queue is now ``queue``: record it, and move the subscription to it
        unless the user already follows that queue there (then False)."""
        ...
