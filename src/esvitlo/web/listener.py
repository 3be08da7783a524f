"""An aiohttp app on one TCP address, safe from slow and from too many clients.

A client has ``read_timeout`` seconds for a request's headers (from connecting, or from the
previous answer on a kept-alive connection; aiohttp's keep-alive timer, which also closes
idle connections) and as long again for its body. At most ``max_connections`` connections
are open at once (see ``connection_cap.py``: a newcomer closes the oldest connection, or is
answered ``503``), so file descriptors stay free for the rest of the process (outgoing
fetches, the database). Refusals and accept() failures are logged at most once per
interval, with counts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from esvitlo.web.connection_cap import CappedFactory

logger = logging.getLogger("esvitlo")

BACKLOG = 1024  # connections the kernel keeps waiting for accept() (aiohttp's default: 128)
MAX_LINGER = 1.0  # seconds the rest of an unread body is read (and dropped) after an answer
LOG_INTERVAL = 10.0  # seconds between two log lines about refused connections
ACCEPT_FAILED = "socket.accept() out of system resource"  # asyncio's message


@dataclass(frozen=True, slots=True)
class ListenerLimits:
    """How long a client may take to send a request, and how many may be connected."""

    read_timeout: float
    max_connections: int


class Throttle:
    """Lets one event through per ``interval`` seconds and counts the ones held back."""

    def __init__(self, interval: float, now: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._now = now
        self._next = float("-inf")
        self._held = 0

    def admit(self) -> int | None:
        """None: stay quiet; else how many events were held back before this one."""
        now = self._now()
        if now < self._next:
            self._held += 1
            return None
        held, self._held = self._held, 0
        self._next = now + self._interval
        return held


def read_timeout_middleware(seconds: float) -> Any:
    """Read every request body within ``seconds`` (408 otherwise) before the handler runs."""

    @web.middleware
    async def read_body_in_time(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.body_exists:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()  # kept by aiohttp for the handler's read/json
            except TimeoutError:
                raise web.HTTPRequestTimeout(text="request body too slow\n") from None
        response: web.StreamResponse = await handler(request)
        return response

    return read_body_in_time


class Listener:
    """Serves ``app`` on ``host``:``port`` within ``limits`` (adding the body read timeout to
    its middlewares); ``port`` is the bound one once started (``0``: any free port)."""

    def __init__(
        self, app: web.Application, host: str, port: int, limits: ListenerLimits, name: str
    ) -> None:
        app.middlewares.append(read_timeout_middleware(limits.read_timeout))
        self.name = name
        self.port = port
        self._app = app
        self._host = host
        self._limits = limits
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self._over_cap: dict[str, int] = {}  # newcomers over the cap since the last log line
        self._over_cap_log = Throttle(LOG_INTERVAL)

    async def start(self) -> None:
        """Start the app and listen."""
        timeout = self._limits.read_timeout
        self._runner = web.AppRunner(
            self._app,
            access_log=None,
            keepalive_timeout=timeout,  # also the time for the first request's headers
            lingering_time=min(timeout, MAX_LINGER),
        )
        await self._runner.setup()
        assert self._runner.server is not None
        server = self._runner.server
        factory = CappedFactory(server, self._limits.max_connections, self._note_over_cap)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(factory, self._host, self.port, backlog=BACKLOG)
        self.port = int(self._server.sockets[0].getsockname()[1])

    def _note_over_cap(self, outcome: str) -> None:
        """Count a newcomer over the cap; log the counts at most once per LOG_INTERVAL."""
        self._over_cap[outcome] = self._over_cap.get(outcome, 0) + 1
        if self._over_cap_log.admit() is not None:
            counts, self._over_cap = self._over_cap, {}
            logger.warning(
                "http.connections_over_cap listener=%s limit=%d refused=%d evicted=%d",
                self.name,
                self._limits.max_connections,
                counts.get("refused", 0),
                counts.get("evicted", 0),
            )

    async def stop(self) -> None:
        """Stop listening, finish or close the open connections and stop the app."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if server is not None:
            await server.wait_closed()


def quiet_accept_errors(
    loop: asyncio.AbstractEventLoop,
    interval: float = 60.0,
    now: Callable[[], float] = time.monotonic,
) -> None:
    """Log asyncio's "accept() out of system resource" once per ``interval`` with a count
    (asyncio logs it for every try, thousands a second); pass anything else on."""
    previous = loop.get_exception_handler()
    throttle = Throttle(interval, now)

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != ACCEPT_FAILED:
            if previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)
            return
        held = throttle.admit()
        if held is not None:
            logger.error(
                "http.accept_failed error=%r suppressed=%d", context.get("exception"), held
            )

    loop.set_exception_handler(handle)
