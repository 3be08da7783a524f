"""The Cherkasy operator's address API (``disconn.php``, the backend of its public ``/off``
page): department → town → street → house → account → queue.

Every request is a GET with ``op=``: ``department_list`` and ``city_list`` (``dept_id``) name
the towns, ``street_list`` (``city_id``, ``search_name``) their streets and ``house_list``
(``street_id``, ``search_name``) a street's houses; the lists are ``[{"ID", "NAME"}]`` (houses
``[{"HOUSE"}]``). A house has no queue of its own: ``ls_list_by_addr`` (``street_id``,
``house``) names the personal accounts there (``[{"LS"}]``) and ``disconn_by_ls`` (``abon_ls``,
``disconn_selector=2``, ``n_date``/``k_date`` as DD.MM.YYYY) answers the first account's
queues in ``DISCONN_QUEUQ[].QUEUE_INFO`` ("… 4 черга 1 підчерга"). The account number is
routing data only: it is never kept, logged or put into an error message.

The host sends its certificate without the intermediate (Sectigo Public Server
Authentication CA DV R36), which Python does not fetch: production needs that CA added to
the trust store (``SSL_CERT_FILE`` pointing at a bundle that includes it).
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from esvitlo.adapters.lookup_http import LookupHttp
from esvitlo.domain.catalogue import AddressSource
from esvitlo.ports import Candidate, LookupNotFound, LookupRefused, RequestPacer

_QUEUE = re.compile(r"(\d)\s*черга\s*(\d)\s*підчерга", re.IGNORECASE)
_KYIV = ZoneInfo("Europe/Kyiv")
QUEUES_SELECTOR = "2"
"""``disconn_selector`` of the account's queue assignment (0 and 1 are outages)."""
TOWNS_SECONDS = 86400.0
"""Departments and their towns take one request each: they are read once a day."""


class CherkasyLookup:
    """ports.TownLookup over the Cherkasy cabinet API for every town it lists."""

    operator = "cherkasy"

    def __init__(self, source: AddressSource, pacer: RequestPacer, *, timeout: float = 10.0):
        self._url = source.url
        self._http = LookupHttp(f"cherkasy:{self._url}", pacer, timeout=timeout)
        self._towns: list[Candidate] = []
        self._towns_at = -TOWNS_SECONDS

    async def _list(self, op: str, **params: str) -> list[dict[str, object]]:
        answer = await self._http.json("GET", self._url, params={"op": op, **params})
        if isinstance(answer, dict) and "result" in answer and len(answer) == 1:
            raise LookupRefused(f"cherkasy: {op} refused ({str(answer['result'])[:60]})")
        if isinstance(answer, dict):  # a list sent as {"0": {...}, "1": {...}}
            answer = list(answer.values())
        if not isinstance(answer, list):
            raise LookupRefused(f"cherkasy: unexpected answer to {op}")
        return [item for item in answer if isinstance(item, dict)]

    async def towns(self) -> list[Candidate]:
        """Every department's towns; a name found in two departments carries the
        department's name, so the user can tell them apart."""
        if self._towns and time.monotonic() - self._towns_at < TOWNS_SECONDS:
            return self._towns
        found: list[tuple[Candidate, str]] = []
        for department in _named(await self._list("department_list")):
            cities = _named(await self._list("city_list", dept_id=department.id))
            found.extend((city, department.name) for city in cities)
        names = [c.name.casefold() for c, _ in found]
        self._towns = [
            Candidate(c.id, f"{c.name} ({dept})" if names.count(c.name.casefold()) > 1 else c.name)
            for c, dept in found
        ]
        self._towns_at = time.monotonic()
        return self._towns

    async def streets(self, query: str) -> list[Candidate]:
        """No town chosen: none (the finder asks the town first)."""
        del query
        return []

    async def town_streets(self, town: Candidate, query: str) -> list[Candidate]:
        return _named(await self._list("street_list", city_id=town.id, search_name=query))

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        """All the street's houses (the caller ranks them against ``query``)."""
        del query
        houses = await self._list("house_list", street_id=street.id, search_name="")
        numbers = [str(h.get("HOUSE") or "").strip() for h in houses]
        return [Candidate(n, n) for n in dict.fromkeys(numbers) if n]

    async def group(self, street: Candidate, house: Candidate) -> str:
        """The queue of the first account at the house; none there: LookupNotFound."""
        accounts = await self._list("ls_list_by_addr", street_id=street.id, house=house.id)
        numbers = [str(a.get("LS") or "").strip() for a in accounts]
        numbers = [n for n in numbers if n]
        if not numbers:
            raise LookupNotFound(f"cherkasy: no account at {street.name}, {house.name}")
        today = datetime.now(_KYIV).strftime("%d.%m.%Y")
        params = {
            "op": "disconn_by_ls",
            "abon_ls": numbers[0],
            "disconn_selector": QUEUES_SELECTOR,
            "n_date": today,
            "k_date": today,
        }
        answer = await self._http.json("GET", self._url, params=params)
        queue = queue_of(answer)
        if queue is None:
            raise LookupNotFound(f"cherkasy: no queue for {street.name}, {house.name}")
        return queue

    async def close(self) -> None:
        await self._http.close()


def queue_of(answer: object) -> str | None:
    """``N.M`` from the first ``QUEUE_INFO`` reading "N черга M підчерга", if any."""
    if not isinstance(answer, dict):
        raise LookupRefused("cherkasy: unexpected answer to disconn_by_ls")
    items = answer.get("DISCONN_QUEUQ")
    for item in items if isinstance(items, list) else []:
        info = item.get("QUEUE_INFO") if isinstance(item, dict) else None
        match = _QUEUE.search(info) if isinstance(info, str) else None
        if match is not None:
            return f"{match.group(1)}.{match.group(2)}"
    return None


def _named(items: list[dict[str, object]]) -> list[Candidate]:
    found = []
    for item in items:
        name = item.get("NAME")
        if item.get("ID") is not None and isinstance(name, str) and name.strip():
            found.append(Candidate(str(item["ID"]), name.strip()))
    return found
