"""At most N connections open on a listening socket, without letting slow clients hold them.

A newcomer over the cap closes the connection that has been open longest, when that one is
at least ``EVICT_AFTER`` seconds old: every request of the public side (a heartbeat, the
webhook, ``/health``) takes milliseconds, so a connection that old is idle or slow, and a
client sending one header line every few seconds cannot keep the listener for itself.
When every connection is younger (a burst), the newcomer is answered ``503`` at once and
closed instead: file descriptors stay free for the rest of the process.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable, Sequence
from typing import Protocol

REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 21\r\n"
    b"Retry-After: 5\r\n"
    b"Connection: close\r\n\r\n"
    b"too many connections\n"
)
EVICT_AFTER = 1.0  # seconds a connection is safe from newcomers over the cap
REFUSAL_LINGER = 0.5  # seconds a refused connection is drained before it is closed
MAX_LINGERING = 256  # refused connections drained at once


class _Refusal(asyncio.Protocol):
    """A connection over the limit: answered 503 before anything is read, then closed.

    Closing a socket with the request still unread makes the kernel send a reset, which can
    destroy the answer on its way; so the request is read and dropped for up to
    ``REFUSAL_LINGER`` seconds after the answer, by ``MAX_LINGERING`` refusals at a time
    (the rest are closed at once: file descriptors matter more then).
    """

    def __init__(self, lingering: set[_Refusal]) -> None:
        self._lingering = lingering
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        transport.write(REFUSAL)
        if len(self._lingering) >= MAX_LINGERING or not transport.can_write_eof():
            transport.close()
            return
        transport.write_eof()
        self._lingering.add(self)
        self._timer = asyncio.get_running_loop().call_later(REFUSAL_LINGER, transport.close)

    def data_received(self, data: bytes) -> None:
        """Drop the request."""

    def eof_received(self) -> bool:
        return False  # the client is done: close

    def connection_lost(self, exc: Exception | None) -> None:
        self._lingering.discard(self)
        if self._timer is not None:
            self._timer.cancel()


class Connection(Hashable, Protocol):
    """What the cap needs of an open connection (aiohttp's RequestHandler)."""

    @property
    def transport(self) -> asyncio.BaseTransport | None: ...

    def force_close(self) -> None: ...


class Handlers(Protocol):
    """What the cap needs of the server making the connections (aiohttp's web.Server)."""

    @property
    def connections(self) -> Sequence[Connection]: ...

    def __call__(self) -> asyncio.BaseProtocol: ...


class CappedFactory:
    """The protocol factory of a listening socket: the app's handler while fewer than
    ``limit`` connections are open (or the oldest one can be closed for it), a refusal
    otherwise. ``on_event`` hears ``"evicted"`` and ``"refused"``; ``now`` is the clock
    (default: the loop's).

    A handler counts from its creation: it joins ``server.connections`` only once asyncio
    calls its ``connection_made`` (soon after), so it is counted as starting until then.
    """

    def __init__(
        self,
        server: Handlers,
        limit: int,
        on_event: Callable[[str], None],
        now: Callable[[], float] | None = None,
    ) -> None:
        self._server = server
        self._limit = limit
        self._on_event = on_event
        self._now = now
        self._starting = 0
        self._opened: dict[Hashable, float] = {}  # when each handler was made
        self._lingering: set[_Refusal] = set()

    def __call__(self) -> asyncio.BaseProtocol:
        loop = asyncio.get_running_loop()
        now = self._now() if self._now is not None else loop.time()
        if len(self._server.connections) + self._starting >= self._limit:
            if not self._evict_oldest(now):
                self._on_event("refused")
                return _Refusal(self._lingering)
            self._on_event("evicted")
        self._starting += 1
        # asyncio schedules the handler's connection_made right after this call, so this
        # runs just before it: no other connection is made in between
        loop.call_soon(self._started)
        handler = self._server()
        if len(self._opened) >= 2 * self._limit:
            self._forget_closed(now)
        self._opened[handler] = now
        return handler

    def _started(self) -> None:
        self._starting -= 1

    def _forget_closed(self, now: float) -> None:
        """Drop the times of closed connections (not of those still connecting)."""
        still_open = set(self._server.connections)
        self._opened = {
            h: t for h, t in self._opened.items() if h in still_open or now - t < EVICT_AFTER
        }

    def _evict_oldest(self, now: float) -> bool:
        """Close the connection open longest if it is ``EVICT_AFTER`` old; whether it was."""
        for handler in self._server.connections:  # in the order they connected
            if handler.transport is None:  # closing already
                continue
            if now - self._opened.get(handler, now) < EVICT_AFTER:
                return False
            handler.force_close()
            return True
        return False
