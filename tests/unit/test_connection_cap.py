"""The connection cap, with fake connections and a settable clock: under the cap a newcomer
gets the app; over it, the oldest connection is closed for it once old enough, else the
newcomer is refused."""

from __future__ import annotations

import asyncio

from esvitlo.web.connection_cap import EVICT_AFTER, CappedFactory


class FakeConnection(asyncio.Protocol):
    """An open connection as the cap sees it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.transport: asyncio.BaseTransport | None = asyncio.Transport()

    def force_close(self) -> None:
        self.transport = None


class FakeServer:
    """Makes connections, which count as open at once (no connection_made to wait for)."""

    def __init__(self) -> None:
        self.open: list[FakeConnection] = []

    @property
    def connections(self) -> list[FakeConnection]:
        return list(self.open)

    def __call__(self) -> FakeConnection:
        connection = FakeConnection(f"c{len(self.open)}")
        self.open.append(connection)
        return connection


async def test_over_the_cap_the_oldest_goes_once_old_enough_else_the_newcomer_is_refused():
    server, events, now = FakeServer(), [], [100.0]
    factory = CappedFactory(server, 3, events.append, now=lambda: now[0])
    first = []
    for _ in range(3):
        first.append(factory())
        await asyncio.sleep(0)  # asyncio connects it: from "starting" to "open"
    assert first == server.open

    now[0] += EVICT_AFTER / 2  # a burst: every connection is young
    refused = factory()
    assert not isinstance(refused, FakeConnection) and events == ["refused"]

    now[0] += EVICT_AFTER / 2  # the first ones are old now: the oldest open one goes
    newcomer = factory()
    assert isinstance(newcomer, FakeConnection) and events == ["refused", "evicted"]
    assert [c.transport is None for c in first] == [True, False, False]

    again = factory()  # the closed one still counts until aiohttp forgets it: skip it
    assert isinstance(again, FakeConnection)
    assert [c.transport is None for c in first] == [True, True, False]


async def test_connections_being_made_count_against_the_cap():
    class SlowServer(FakeServer):
        """Connections join ``connections`` only later, as aiohttp's do."""

        def __call__(self) -> FakeConnection:
            return FakeConnection("pending")

    events: list[str] = []
    factory = CappedFactory(SlowServer(), 2, events.append, now=lambda: 0.0)
    made = [factory() for _ in range(3)]
    assert [isinstance(m, FakeConnection) for m in made] == [True, True, False]
    assert events == ["refused"]
