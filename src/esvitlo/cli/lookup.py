"""``esvitlo lookup REGION "STREET" HOUSE [--json]``: a house's queue from its operator.

In a region whose source serves many towns (Kyiv region, Odesa and Dnipro regions, Donetsk)
STREET is "TOWN, STREET" (``"Бровари, вул. Київська"``); without a town only the region's
one-city sources are asked, and a region with none says so (exit 2).

Prints the queue found, or the close matches (exit 1). No network, a refusal by the site's
bot protection or nothing close: one line on stderr and exit 1; bad input: exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING, Any

from esvitlo.cli.errors import CliError, SourcesDown

if TYPE_CHECKING:
    from esvitlo.domain.catalogue import Catalogue
    from esvitlo.services.address_lookup import Resolved
    from esvitlo.settings import Settings


def add_parser(sub: Any) -> None:
    """Register ``lookup``."""
    lookup = sub.add_parser("lookup", help="find a house's queue from its street and number")
    lookup.add_argument("region", metavar="REGION", help="region id, e.g. kyiv")
    lookup.add_argument(
        "street",
        metavar="STREET",
        help='the street, e.g. "вул. Хрещатик"; "TOWN, STREET" where the region has many towns',
    )
    lookup.add_argument("house", metavar="HOUSE", help="the house number, e.g. 12а")
    lookup.add_argument("--json", action="store_true", help="print one JSON object")
    lookup.set_defaults(handler=run_lookup)


def run_lookup(args: argparse.Namespace) -> int:
    """Look the address up through the region's sources, politely (one request a second)."""
    from esvitlo.app.assembly import configure_logging
    from esvitlo.cli.commands import _catalogue, _settings

    settings = _settings()
    catalogue = _catalogue(settings)
    region = catalogue.get(args.region) or catalogue.find(args.region)
    if region is None:
        raise CliError(f"unknown region {args.region!r} (see: esvitlo regions)")
    if not region.lookups:
        with_lookup = ", ".join(r.id for r in catalogue.regions if r.lookups)
        raise CliError(f"{region.id} has no address lookup (regions with one: {with_lookup})")
    if not args.street.strip() or not args.house.strip():
        raise CliError("STREET and HOUSE must not be empty")
    configure_logging("ERROR", plain=True)
    resolved = asyncio.run(_resolve(settings, catalogue, region.id, args.street, args.house))
    return _print(resolved, region.id, args)


async def _resolve(
    settings: Settings, catalogue: Catalogue, region: str, street: str, house: str
) -> Resolved:
    from esvitlo.adapters.memory_coordinator import MemoryCoordinator
    from esvitlo.adapters.system_clock import SystemClock
    from esvitlo.app.lookups import make_address_finder
    from esvitlo.ports import LookupFailed, LookupNotFound, LookupRefused

    clock = SystemClock()
    finder = make_address_finder(settings, catalogue, MemoryCoordinator(clock), clock)
    if finder.only_towns(region) and "," not in street:
        await finder.close()
        raise CliError(f'{region} has many towns: write STREET as "TOWN, STREET"')
    try:
        return await finder.resolve(region, street, house)
    except LookupNotFound:
        raise SourcesDown(f"{street}, {house}: the operator has no queue for it") from None
    except LookupRefused:
        raise SourcesDown(
            f"{region}: the operator's site refused the lookup (bot protection); "
            "choose the queue by hand"
        ) from None
    except LookupFailed as exc:
        raise SourcesDown(f"{region}: lookup unavailable ({exc})") from None
    finally:
        await finder.close()


def _print(resolved: Resolved, region: str, args: argparse.Namespace) -> int:
    town = resolved.town.name if resolved.town else None
    street = resolved.street.name if resolved.street else None
    if town and street:
        street = f"{town}, {street}"
    house = resolved.house.name if resolved.house else None
    if not (resolved.queue or resolved.streets or resolved.houses or resolved.towns):
        what = (
            f"no house {args.house!r} on {street}" if street else f"no street like {args.street!r}"
        )
        raise SourcesDown(f"{region}: {what}")
    if args.json:
        document = {
            "region": region,
            "queue": resolved.queue,
            "town": town,
            "street": street,
            "house": house,
            "streets": [s.name for s in resolved.streets],
            "houses": [h.name for h in resolved.houses],
            "towns": [t.name for t in resolved.towns],
        }
        print(json.dumps(document, ensure_ascii=False))
    elif resolved.queue is not None:
        print(f"{street}, {house}: queue {resolved.queue}")
    elif resolved.towns:
        print(f"no town {args.street.partition(',')[0]!r} exactly; close matches:")
        print("\n".join(f"  {t.name}" for t in resolved.towns))
    elif resolved.houses:
        print(f"{street}: no house {args.house!r}; close numbers:")
        print("\n".join(f"  {h.name}" for h in resolved.houses))
    else:
        print(f"no street {args.street!r} exactly; close matches:")
        print("\n".join(f"  {s.name}" for s in resolved.streets))
    return 0 if resolved.queue is not None else 1
