"""``/hb/<secret>``: the URL a device at home calls (GET, HEAD or POST) while it has power;
and ``/channelPing?channel_key=<secret>``, the same heartbeat in the form Svitlobot's firmware
calls (an optional ``voltage`` is accepted and not kept), so such a device switches to us by
changing only the host.

A known secret is answered ``200 ok``; anything else gets the same 404 as a path that does
not exist, so the endpoint tells a guesser nothing. Both forms go through the same ``beat``,
so they share its rate limit (one write per secret a second) and its privacy (hashes only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Beat = Callable[[str], Awaitable[bool]]
PATH = "/hb/{secret}"
SVITLOBOT_PATH = "/channelPing"


def add_heartbeat_routes(app: web.Application, beat: Beat) -> None:
    """Serve heartbeats on ``/hb/<secret>`` and ``/channelPing`` through ``beat`` (True: a
    known monitor)."""

    async def heartbeat(request: web.Request) -> web.Response:
        if not await beat(request.match_info["secret"]):
            raise web.HTTPNotFound()
        return web.Response(text="ok\n")

    async def channel_ping(request: web.Request) -> web.Response:
        key = request.query.get("channel_key", "")
        if not key or not await beat(key):
            raise web.HTTPNotFound()
        return web.Response(text="ok\n")

    app.router.add_get(PATH, heartbeat)  # and HEAD (curl -I)
    app.router.add_route("POST", PATH, heartbeat)
    app.router.add_get(SVITLOBOT_PATH, channel_ping)
    app.router.add_route("POST", SVITLOBOT_PATH, channel_ping)
