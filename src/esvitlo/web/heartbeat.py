"""``/hb/<secret>``: the URL a device at home calls (GET, HEAD or POST) while it has power.

A known secret is answered ``200 ok``; anything else gets the same 404 as a path that does
not exist, so the endpoint tells a guesser nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Beat = Callable[[str], Awaitable[bool]]
PATH = "/hb/{secret}"


def add_heartbeat_routes(app: web.Application, beat: Beat) -> None:
    """Serve heartbeats on ``/hb/<secret>`` through ``beat`` (True: a known monitor)."""

    async def heartbeat(request: web.Request) -> web.Response:
        if not await beat(request.match_info["secret"]):
            raise web.HTTPNotFound()
        return web.Response(text="ok\n")

    app.router.add_get(PATH, heartbeat)  # and HEAD (curl -I)
    app.router.add_route("POST", PATH, heartbeat)
