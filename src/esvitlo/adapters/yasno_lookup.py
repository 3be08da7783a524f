"""YASNO's address API: streets by text, a street's houses by text, a house's group."""

from __future__ import annotations

from esvitlo.adapters.lookup_http import LookupHttp
from esvitlo.domain.address_lookup import house_number
from esvitlo.domain.catalogue import AddressSource
from esvitlo.ports import Candidate, LookupNotFound, LookupRefused, RequestPacer


class YasnoLookup:
    """ports.AddressLookup over ``…/addresses/v2``: ``streets`` → ``houses`` → ``group``,
    each asked with the catalogue's ``regionId`` and ``dsoId``. Ids are renumbered from time
    to time (an old id answers 404: LookupNotFound), so callers keep names, not ids."""

    operator = "yasno"

    def __init__(self, source: AddressSource, pacer: RequestPacer, *, timeout: float = 10.0):
        self._base = source.url.rstrip("/")
        self._ids = {"regionId": source.param("region_id"), "dsoId": source.param("dso_id")}
        self._http = LookupHttp(self.operator, pacer, timeout=timeout)

    async def streets(self, query: str) -> list[Candidate]:
        answer = await self._http.json(
            "GET", f"{self._base}/streets", params={**self._ids, "query": query}
        )
        return _candidates(answer)

    async def houses(self, street: Candidate, query: str) -> list[Candidate]:
        """Houses whose number starts like the typed one's (the API searches by prefix, so
        "12/1" is asked as "12" and the caller ranks the answer)."""
        params = {**self._ids, "streetId": street.id, "query": house_number(query)}
        return _candidates(await self._http.json("GET", f"{self._base}/houses", params=params))

    async def group(self, street: Candidate, house: Candidate) -> str:
        params = {**self._ids, "streetId": street.id, "houseId": house.id}
        answer = await self._http.json("GET", f"{self._base}/group", params=params)
        if not isinstance(answer, dict):
            raise LookupRefused("yasno group: not an object")
        group, subgroup = answer.get("group"), answer.get("subgroup")
        if group is None or group == "":
            raise LookupNotFound(f"yasno: no group for house {house.name!r}")
        return f"{group}.{subgroup}" if subgroup not in (None, "") else str(group)

    async def close(self) -> None:
        await self._http.close()


def _candidates(answer: object) -> list[Candidate]:
    """``[{"id": 1, "name": "вул. Хрещатик"}]`` (older answers say ``value``)."""
    if not isinstance(answer, list):
        raise LookupRefused("yasno: expected a list")
    found = []
    for item in answer:
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        name = item.get("name") or item.get("value")
        if isinstance(name, str) and name.strip():
            found.append(Candidate(str(item["id"]), name.strip()))
    return found
