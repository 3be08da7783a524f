"""The address lookup sources of every region, made from the catalogue and Settings."""

from __future__ import annotations

from datetime import timedelta

from esvitlo.adapters.cherkasy_lookup import CherkasyLookup
from esvitlo.adapters.dtek_lookup import EVERY_TOWN, DtekLookup, DtekTownsLookup
from esvitlo.adapters.poweron_lookup import PowerOnLookup
from esvitlo.adapters.yasno_lookup import YasnoLookup
from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.catalogue import AddressSource, Catalogue
from esvitlo.ports import AddressLookup, Clock, Coordinator, RequestPacer
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.lookup_pacing import SharedPacer
from esvitlo.settings import Settings

LOOKUP_TIMEOUT = 10.0
"""Seconds a lookup request may take at most: someone is waiting for the answer in a chat."""
PACE_SECONDS = 1.0
"""At most one request per operator in this many seconds, across all instances."""


def _lookup(source: AddressSource, pacer: RequestPacer, timeout: float) -> AddressLookup:
    if source.kind is LookupKind.YASNO:
        return YasnoLookup(source, pacer, timeout=timeout)
    if source.kind is LookupKind.POWERON:
        return PowerOnLookup(source, pacer, timeout=timeout)
    if source.kind is LookupKind.CHERKASY:
        return CherkasyLookup(source, pacer, timeout=timeout)
    if source.param("city") == EVERY_TOWN:
        return DtekTownsLookup(source, pacer, timeout=timeout)
    return DtekLookup(source, pacer, timeout=timeout)


def make_address_finder(
    settings: Settings, catalogue: Catalogue, coordinator: Coordinator, clock: Clock
) -> AddressFinder:
    """Every region's lookups, one request a second per operator across the instances that
    share ``coordinator``, each behind a breaker configured like the schedule sources'."""
    pacer = SharedPacer(coordinator, clock, interval=PACE_SECONDS)
    timeout = min(LOOKUP_TIMEOUT, settings.fetch_timeout)
    return AddressFinder(
        {r.id: [_lookup(s, pacer, timeout) for s in r.lookups] for r in catalogue.regions},
        clock,
        failure_threshold=settings.breaker_failures,
        reset_after=timedelta(seconds=settings.breaker_reset),
    )
