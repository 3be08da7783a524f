"""DTEK sites' address form: streets from the page, one request for a street's houses.

The sites sit behind bot protection, so the request is made the way their page makes it:
``GET /ua/shutdowns`` for the session cookies, the ``csrf-token`` meta and the streets
(``DisconSchedule.streets``), then ``POST /ua/ajax`` with ``method=getHomeNum``, which
answers every house of the street with its queue (``sub_type_reason: ["GPV5.1"]``). A
challenge page, a missing token or an answer that is not JSON is a refusal.

The page's streets are keyed by town (``{"м. Бровари": [...], "с. Гора": [...]}``; a site
for one city may list them bare). A catalogue entry with ``city = "*"`` serves every town
(``DtekTownsLookup``): its street candidates carry the town in their id.
"""

from __future__ import annotations

import json
import re
import time

from esvitlo.adapters.lookup_http import LookupHttp
from esvitlo.domain.catalogue import AddressSource
from esvitlo.domain.model import normalize_queue
from esvitlo.ports import Candidate, LookupNotFound, LookupRefused, RequestPacer

_CSRF = re.compile(r'<meta\s+name="csrf-token"\s+content="([^"]+)"', re.IGNORECASE)
_STREETS = "DisconSchedule.streets"
EVERY_TOWN = "*"
"""The catalogue's ``city`` for a site read for all of its towns."""
_TOWN_MARK = "\u001f"
"""Between the town and the street in a many-town street candidate's id."""
SESSION_SECONDS = 600.0
"""A page's token, cookies and streets (and the houses asked for meanwhile) are reused for
this long before the page is read again; longer caching is the caller's (a day)."""


class DtekLookup:
    """ports.AddressLookup over one DTEK site for one city of the catalogue."""

    operator = "dtek"

    def __init__(self, source: AddressSource, pacer: RequestPacer, *, timeout: float = 10.0):
        self._site = source.url.rstrip("/")
        self._city = source.param("city")
        self._http = LookupHttp(f"dtek:{self._site}", pacer, timeout=timeout)
        self._token = ""
        self._streets: dict[str, list[str]] = {}
        self._read_at = -SESSION_SECONDS
        self._homes: dict[str, dict[str, str]] = {}

    async def _page(self) -> None:
        if self._token and time.monotonic() - self._read_at < SESSION_SECONDS:
            return
        html, _ = await self._http.text("GET", f"{self._site}/ua/shutdowns")
        token = _CSRF.search(html)
        if token is None:
            raise LookupRefused(f"{self._site}: no csrf-token on the page (a challenge?)")
        self._token = token.group(1)
        self._streets = _streets_of(html, self._city)
        self._homes.clear()
        self._read_at = time.monotonic()

    async def streets(self, query: str) -> list[Candidate]:
        """The city's streets from the page (the caller ranks them against ``query``)."""
        del query
        await self._page()
        return [Candidate(name, name) for name in self._streets.get(self._city, [])]

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        del query
        homes = await self._street_homes(street)
        return [Candidate(number, number) for number in homes]

    async def group(self, street: Candidate, house: Candidate) -> str:
        homes = await self._street_homes(street)
        queue = homes.get(house.id)
        if not queue:
            raise LookupNotFound(f"dtek: no queue for {street.name}, {house.name}")
        return queue

    async def _street_homes(self, candidate: Candidate) -> dict[str, str]:
        await self._page()  # a page read afresh forgets the streets' houses read before
        if candidate.id in self._homes:
            return self._homes[candidate.id]
        town, _, street = candidate.id.rpartition(_TOWN_MARK)
        form = {
            "method": "getHomeNum",
            "data[0][name]": "city",
            "data[0][value]": town or self._city,
            "data[1][name]": "street",
            "data[1][value]": street,
            "data[2][name]": "updateFact",
            "data[2][value]": time.strftime("%d.%m.%Y %H:%M"),
        }
        headers = {
            "X-CSRF-Token": self._token,
            "X-Requested-With": "XMLHttpRequest",
            "Referer": f"{self._site}/ua/shutdowns",
        }
        try:
            answer = await self._http.json(
                "POST", f"{self._site}/ua/ajax", data=form, headers=headers
            )
        except LookupRefused:
            self._token = ""  # a stale session is refused: read the page again next time
            raise
        homes = _homes_of(answer)
        if not homes:
            raise LookupNotFound(f"dtek: no houses on {street!r}")
        self._homes[candidate.id] = homes
        return homes

    async def close(self) -> None:
        await self._http.close()


class DtekTownsLookup(DtekLookup):
    """ports.TownLookup over one DTEK site for every town it lists (``city = "*"``)."""

    async def towns(self) -> list[Candidate]:
        await self._page()
        return [Candidate(town, town) for town in self._streets]

    async def streets(self, query: str) -> list[Candidate]:
        """No town chosen: none (the finder asks the town first)."""
        del query
        return []

    async def town_streets(self, town: Candidate, query: str) -> list[Candidate]:
        """The town's streets from the page (the caller ranks them against ``query``)."""
        del query
        await self._page()
        names = self._streets.get(town.id, [])
        return [Candidate(f"{town.id}{_TOWN_MARK}{name}", name) for name in names]


def _streets_of(html: str, city: str) -> dict[str, list[str]]:
    """Town → streets from ``DisconSchedule.streets = {"м. Київ": [...]}``; a bare list
    (a site for one city) is ``city``'s."""
    at = html.find(_STREETS)
    if at < 0:
        return {}
    start = html.find("=", at) + 1
    try:
        value, _ = json.JSONDecoder().raw_decode(html[start:].lstrip())
    except ValueError:
        return {}
    if isinstance(value, list):
        value = {city: value}
    if not isinstance(value, dict):
        return {}
    return {
        str(town): [s for s in names if isinstance(s, str)]
        for town, names in value.items()
        if isinstance(names, list)
    }


def _homes_of(answer: object) -> dict[str, str]:
    """House number → bare queue from ``{"data": {"12": {"sub_type_reason": ["GPV5.1"]}}}``."""
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict):
        raise LookupRefused("dtek: unexpected answer to getHomeNum")
    homes = {}
    for number, body in answer["data"].items():
        reasons = body.get("sub_type_reason") if isinstance(body, dict) else None
        if isinstance(reasons, list) and reasons and isinstance(reasons[0], str):
            homes[str(number)] = normalize_queue(reasons[0])
        else:
            homes[str(number)] = ""
    return homes
