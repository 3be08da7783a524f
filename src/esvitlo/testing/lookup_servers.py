"""Local fakes of the operators' address APIs (YASNO, DTEK, PowerOn, Cherkasy) for tests.

They serve an address book (street → house → queue) in the shapes the real services use.
``mode`` switches what every request gets: ``"ok"``, ``"waf"`` (a 403 challenge page, as
bot protection answers), ``"challenge"`` (the same page with status 200), ``"down"`` (500)
or ``"slow"`` (an answer after ``delay`` seconds). ``renumber()`` gives YASNO's streets and
houses new ids, so old ids answer 404, as the real API does after its ids change. ``times``
holds each request's loop time.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Mapping

from aiohttp import web

CHALLENGE = "<html><body>Request unsuccessful. Incapsula incident ID: 0-0</body></html>"
ADDRESS_BOOK: dict[str, dict[str, str]] = {
    "вул. Хрещатик": {"1": "3.1", "12а": "3.2", "12/1": "4.1", "15": "1.1"},
    "вул. Хрещатицька": {"5": "2.1"},
    "вул. Хорива": {"2": "5.2", "4": "5.2"},
    "просп. Степана Бандери": {"8": "6.1", "10": "2.2"},
    "вул. Обʼєднання": {"3": "1.2"},
}


class _FakeLookupServer:
    def __init__(self, book: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.book = {s: dict(h) for s, h in (book or ADDRESS_BOOK).items()}
        self.mode = "ok"
        self.delay = 5.0
        self.times: list[float] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    def _app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> str:
        """Serve on 127.0.0.1 at a free port; the base URL."""
        self._runner = web.AppRunner(self._app(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _gate(self) -> web.Response | None:
        """What the mode answers instead of the data, if anything."""
        self.times.append(asyncio.get_running_loop().time())
        if self.mode == "waf":
            return web.Response(status=403, text=CHALLENGE, content_type="text/html")
        if self.mode == "challenge":
            return web.Response(text=CHALLENGE, content_type="text/html")
        if self.mode == "down":
            return web.Response(status=500, text="Internal Server Error")
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        return None


class FakeYasno(_FakeLookupServer):
    """``/streets``, ``/houses``, ``/group`` under the base URL, ids offset by ``generation``."""

    def __init__(self, book: Mapping[str, Mapping[str, str]] | None = None) -> None:
        super().__init__(book)
        self.generation = 1

    def renumber(self) -> None:
        """New ids for every street and house (the old ones answer 404 from now on)."""
        self.generation += 1

    def _street_ids(self) -> dict[int, str]:
        return {self.generation * 1000 + i: s for i, s in enumerate(self.book)}

    def _house_ids(self, street: str) -> dict[int, str]:
        return {self.generation * 100000 + i: h for i, h in enumerate(self.book[street])}

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/streets", self._streets)
        app.router.add_get("/houses", self._houses)
        app.router.add_get("/group", self._group)
        return app

    async def _streets(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        query = request.query.get("query", "").casefold()
        found = [
            {"id": i, "name": s} for i, s in self._street_ids().items() if query in s.casefold()
        ]
        return web.json_response(found)

    def _street(self, request: web.Request) -> str | None:
        return self._street_ids().get(int(request.query.get("streetId", "0")))

    async def _houses(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        street = self._street(request)
        if street is None:
            return web.json_response({"message": "not found"}, status=404)
        query = request.query.get("query", "")
        ids = self._house_ids(street)
        return web.json_response(
            [{"id": i, "name": h} for i, h in ids.items() if h.startswith(query)]
        )

    async def _group(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        street = self._street(request)
        house = self._house_ids(street).get(int(request.query["houseId"])) if street else None
        if street is None or house is None:
            return web.json_response({"message": "not found"}, status=404)
        group, _, subgroup = self.book[street][house].partition(".")
        return web.json_response({"group": int(group), "subgroup": int(subgroup or 0)})


OTHER_TOWNS: dict[str, dict[str, dict[str, str]]] = {
    "с. Інше": {"вул. Польова": {"1": "1.1"}},
    "м. Бровари": {"вул. Київська": {"5": "4.2", "7": "4.1"}, "вул. Польова": {"2": "2.2"}},
    "смт Бородянка": {"вул. Центральна": {"3": "6.2"}},
}


class FakeDtekSite(_FakeLookupServer):
    """``GET /ua/shutdowns`` (token, cookie, streets by town) and ``POST /ua/ajax``
    (getHomeNum), which refuses a request without the page's cookie and token, as the real
    site does. ``book`` is ``city``'s; ``towns`` (default ``OTHER_TOWNS``) the others'."""

    def __init__(
        self,
        book: Mapping[str, Mapping[str, str]] | None = None,
        city: str = "м. Київ",
        towns: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
    ) -> None:
        super().__init__(book)
        self.city = city
        self.towns = {
            t: {s: dict(h) for s, h in b.items()} for t, b in (towns or OTHER_TOWNS).items()
        }
        self._sessions: dict[str, str] = {}

    def _book_of(self, town: str) -> Mapping[str, Mapping[str, str]] | None:
        return self.book if town == self.city else self.towns.get(town)

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/ua/shutdowns", self._page)
        app.router.add_post("/ua/ajax", self._ajax)
        return app

    async def _page(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        session, token = secrets.token_hex(8), secrets.token_hex(16)
        self._sessions[session] = token
        by_town = {self.city: list(self.book), **{t: list(b) for t, b in self.towns.items()}}
        streets = json.dumps(by_town)
        html = (
            f'<html><head><meta name="csrf-token" content="{token}"></head><body>'
            f"<script>\nDisconSchedule.streets = {streets}\n"
            'DisconSchedule.fact = {"update": "06.12.2026 09:00"}\n</script></body></html>'
        )
        response = web.Response(text=html, content_type="text/html")
        response.set_cookie("dtek-session", session)
        return response

    async def _ajax(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        token = self._sessions.get(request.cookies.get("dtek-session", ""))
        if token is None or request.headers.get("X-CSRF-Token") != token:
            return web.Response(status=403, text=CHALLENGE, content_type="text/html")
        form = await request.post()
        book = self._book_of(str(form.get("data[0][value]")))
        if form.get("method") != "getHomeNum" or book is None:
            return web.json_response({"result": False})
        houses = book.get(str(form.get("data[1][value]")), {})
        data = {
            number: {"sub_type_reason": [f"GPV{queue}"], "type": "", "sub_type": ""}
            for number, queue in houses.items()
        }
        return web.json_response({"data": data, "updateTimestamp": "09:00 06.12.2026"})


class FakePowerOn(_FakeLookupServer):
    """The Ternopil Hydra API: ``/pw_cities``, ``/pw_streets``, ``/pw-accounts/building-groups``.

    ``named`` streets answer each house with its queue (``buildingName``); the others answer
    their queues only, as the API does for streets whose houses share one."""

    def __init__(
        self,
        book: Mapping[str, Mapping[str, str]] | None = None,
        city: str = "м. Тернопіль",
        named: frozenset[str] = frozenset({"вул. Хрещатик"}),
    ) -> None:
        super().__init__(book)
        self.city = city
        self.named = named

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/pw_cities", self._cities)
        app.router.add_get("/pw_streets", self._streets)
        app.router.add_get("/pw-accounts/building-groups", self._groups)
        return app

    @staticmethod
    def _hydra(members: list[dict[str, object]]) -> web.Response:
        body = {"hydra:member": members, "hydra:totalItems": len(members)}
        return web.json_response(body, content_type="application/ld+json")

    async def _cities(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        wanted = request.query.get("name", "").casefold()
        cities = [self.city, "с. Тернопілля"]
        return self._hydra(
            [{"id": 70 + i, "name": c} for i, c in enumerate(cities) if wanted in c.casefold()]
        )

    async def _streets(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        if request.query.get("city.id") != "70":
            return self._hydra([])
        wanted = request.query.get("name", "").casefold()
        streets = [
            {"id": 500 + i, "name": s} for i, s in enumerate(self.book) if wanted in s.casefold()
        ]
        return self._hydra(streets)

    async def _groups(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        names = list(self.book)
        index = int(request.query.get("streetId", "0")) - 500
        if request.query.get("cityId") != "70" or not 0 <= index < len(names):
            return web.json_response({"buildingGroups": []})
        street = names[index]
        houses = self.book[street]
        if street in self.named:
            groups = [{"chergGpv": q, "buildingName": h} for h, q in houses.items()]
        else:
            groups = [{"chergGpv": q} for q in dict.fromkeys(houses.values())]
        return web.json_response({"buildingGroups": groups})


CHERKASY_TOWNS: dict[str, dict[str, dict[str, str]]] = {
    "м. Черкаси": {"вул. Зінаїди Тулуб": {"12": "4.1", "14": "2.2"}, "вул. Броварна": {"3": ""}},
    "м. Сміла": {"вул. Зінаїди Тулуб": {"1": "1.2"}},
}
"""Town → street → house → queue; a house with the queue ``""`` has no account."""


class FakeCherkasy(_FakeLookupServer):
    """The Cherkasy cabinet API: ``GET /disconn.php?op=…``, lists as ``[{"ID", "NAME"}]``;
    two departments with a town each, accounts at every house with a queue, and
    ``{"result": "Operation not supported"}`` for an unknown ``op``. ``accounts_asked``
    holds the account numbers ``disconn_by_ls`` was asked about."""

    def __init__(self, towns: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None):
        super().__init__({})
        self.towns = {
            t: {s: dict(h) for s, h in b.items()} for t, b in (towns or CHERKASY_TOWNS).items()
        }
        self.accounts_asked: list[str] = []

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/disconn.php", self._op)
        return app

    def _streets(self) -> list[tuple[str, str, dict[str, str]]]:
        return [(t, s, h) for t, b in self.towns.items() for s, h in b.items()]

    @staticmethod
    def _account(street: int, house: str) -> str:
        return f"7101{street:03d}{house.encode().hex()}"

    async def _op(self, request: web.Request) -> web.Response:
        if (refused := await self._gate()) is not None:
            return refused
        query, op = request.query, request.query.get("op", "")
        towns, streets = list(self.towns), self._streets()
        answer: object
        if op == "department_list":
            answer = [{"ID": str(i + 1), "NAME": f"Відділення {i + 1}"} for i in range(len(towns))]
        elif op == "city_list":
            index = int(query.get("dept_id", "0")) - 1
            answer = (
                [{"ID": str(100 + index), "NAME": towns[index]}] if 0 <= index < len(towns) else []
            )
        elif op == "street_list":
            town = int(query.get("city_id", "0")) - 100
            wanted = query.get("search_name", "").casefold()
            answer = [
                {"ID": str(200 + i), "NAME": s}
                for i, (t, s, _) in enumerate(streets)
                if 0 <= town < len(towns) and t == towns[town] and wanted in s.casefold()
            ]
        elif op in ("house_list", "ls_list_by_addr"):
            index = int(query.get("street_id", "0")) - 200
            houses = streets[index][2] if 0 <= index < len(streets) else {}
            if op == "house_list":
                answer = [{"ID": str(i), "HOUSE": h} for i, h in enumerate(houses)]
            else:
                house = query.get("house", "")
                has = bool(houses.get(house))
                answer = [{"LS": self._account(index, house), "ADDRESS": house}] if has else []
        elif op == "disconn_by_ls":
            self.accounts_asked.append(query.get("abon_ls", ""))
            answer = {
                "DATETIME": "09:00 06.12.2026",
                "DISCONNECTIONS": [],
                "DISCONN_QUEUQ": self._queue_info(streets, query.get("abon_ls", "")),
            }
        else:
            answer = {"result": "Operation not supported"}
        # The real host labels its JSON as JavaScript.
        return web.Response(text=json.dumps(answer), content_type="application/x-javascript")

    def _queue_info(
        self, streets: list[tuple[str, str, dict[str, str]]], account: str
    ) -> list[dict[str, str]]:
        for index, (_, _, houses) in enumerate(streets):
            for house, queue in houses.items():
                if queue and self._account(index, house) == account:
                    group, _, sub = queue.partition(".")
                    info = f"Графік погодинних відключень - {group} черга {sub} підчерга"
                    return [
                        {"QUEUE_INFO": "Графік аварійних відключень - 3 черга"},
                        {"QUEUE_INFO": info},
                    ]
        return []
