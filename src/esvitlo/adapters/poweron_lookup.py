"""The Ternopil operator's address API (a Hydra JSON API): city → street → queue.

``pw_cities?name=`` finds the catalogue's city once, ``pw_streets?city.id&name=`` its
streets, and ``pw-accounts/building-groups?cityId&streetId`` the queue (``chergGpv``) of a
street's houses. When the answer names the houses (``buildingName``), each house has its own
queue; when it does not and the street has one queue, every house gets it; several queues
without names cannot tell the house's: LookupNotFound (the manual choice).
"""

from __future__ import annotations

import time

from esvitlo.adapters.lookup_http import LookupHttp
from esvitlo.domain.catalogue import AddressSource
from esvitlo.domain.model import normalize_queue
from esvitlo.ports import Candidate, LookupNotFound, LookupRefused, RequestPacer

_HYDRA = {"Accept": "application/ld+json"}
KEEP_SECONDS = 600.0
"""A street's queues are reused this long (the caller caches for a day); the city id for good."""
WHOLE_STREET = "*"
"""The id of the house "any house" on a street whose houses share one queue."""


class PowerOnLookup:
    """ports.AddressLookup over the PowerOn API for one city of the catalogue."""

    operator = "poweron"

    def __init__(self, source: AddressSource, pacer: RequestPacer, *, timeout: float = 10.0):
        self._base = source.url.rstrip("/")
        self._city = source.param("city")
        self._city_id = ""
        self._http = LookupHttp(f"poweron:{self._base}", pacer, timeout=timeout)
        self._groups: dict[str, tuple[float, dict[str, str]]] = {}

    async def _city_id_of(self) -> str:
        if not self._city_id:
            params = {"pagination": "false", "name": self._city}
            members = _members(await self._get("pw_cities", params))
            same = [m for m in members if m.name.casefold() == self._city.casefold()]
            same = same or (members if len(members) == 1 else [])  # "м. Тернопіль" and the like
            if not same:
                raise LookupNotFound(f"poweron: no one city named {self._city!r}")
            self._city_id = same[0].id
        return self._city_id

    async def _get(self, path: str, params: dict[str, str]) -> object:
        return await self._http.json("GET", f"{self._base}/{path}", params=params, headers=_HYDRA)

    async def streets(self, query: str) -> list[Candidate]:
        params = {"pagination": "false", "city.id": await self._city_id_of(), "name": query}
        return _members(await self._get("pw_streets", params))

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        houses = await self._street_groups(street)
        if set(houses) == {WHOLE_STREET}:  # one queue for the street: the house as typed
            return [Candidate(WHOLE_STREET, query.strip())] if query.strip() else []
        return [Candidate(name, name) for name in houses]

    async def group(self, street: Candidate, house: Candidate) -> str:
        houses = await self._street_groups(street)
        queue = houses.get(house.id) or houses.get(WHOLE_STREET)
        if not queue:
            raise LookupNotFound(f"poweron: no queue for {street.name}, {house.name}")
        return queue

    async def _street_groups(self, street: Candidate) -> dict[str, str]:
        kept = self._groups.get(street.id)
        if kept is not None and time.monotonic() - kept[0] < KEEP_SECONDS:
            return kept[1]
        params = {"cityId": await self._city_id_of(), "streetId": street.id}
        answer = await self._http.json(
            "GET", f"{self._base}/pw-accounts/building-groups", params=params
        )
        groups = _groups_of(answer)
        if not groups:
            raise LookupNotFound(f"poweron: no queues on {street.name!r}")
        self._groups[street.id] = (time.monotonic(), groups)
        return groups

    async def close(self) -> None:
        await self._http.close()


def _members(answer: object) -> list[Candidate]:
    if not isinstance(answer, dict) or not isinstance(answer.get("hydra:member"), list):
        raise LookupRefused("poweron: expected a Hydra collection")
    found = []
    for item in answer["hydra:member"]:
        if isinstance(item, dict) and item.get("id") is not None:
            name = item.get("name")
            if isinstance(name, str) and name.strip():
                found.append(Candidate(str(item["id"]), name.strip()))
    return found


def _groups_of(answer: object) -> dict[str, str]:
    """House → queue from ``{"buildingGroups": [{"chergGpv": "4.1", "buildingName": …}]}``;
    without house names, ``{"*": queue}`` when the street has a single queue."""
    if not isinstance(answer, dict):
        raise LookupRefused("poweron: unexpected answer to building-groups")
    items = answer.get("buildingGroups") or answer.get("hydra:member") or []
    named: dict[str, str] = {}
    queues: set[str] = set()
    for item in items if isinstance(items, list) else []:
        queue = item.get("chergGpv") if isinstance(item, dict) else None
        if not isinstance(queue, str) or not queue.strip():
            continue
        queue = normalize_queue(queue)
        queues.add(queue)
        building = item.get("buildingName")
        if isinstance(building, str) and building.strip():
            named[building.strip()] = queue
    if named:
        return named
    return {WHOLE_STREET: queues.pop()} if len(queues) == 1 else {}
