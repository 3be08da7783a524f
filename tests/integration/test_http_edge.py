"""The public HTTP edge: the webhook never without a secret, bad updates answered 400,
heartbeats by HEAD, slow headers and bodies cut off, and slow clients held off a running
instance (capped, refused in a burst, evicted for newcomers once old)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiogram import Bot, Dispatcher

from esvitlo.app import Service
from esvitlo.settings import Settings
from esvitlo.web import build_public_app
from esvitlo.web.connection_cap import EVICT_AFTER
from esvitlo.web.listener import Listener, ListenerLimits

from schedule_server import FixtureServer, Reply, kyiv_catalogue

A1227 = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"
SECRET = "s3cret_TOKEN-1"
KNOWN = "k" * 32


class Beats:
    """A heartbeat receiver knowing one secret; remembers every beat."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    async def beat(self, secret: str) -> bool:
        self.seen.append(secret)
        return secret == KNOWN


@pytest.fixture
async def bot() -> AsyncIterator[Bot]:
    bot = Bot("123456:AAE-test-token")
    yield bot
    await bot.session.close()


async def _serve(app_listener: Listener) -> str:
    await app_listener.start()
    return f"http://127.0.0.1:{app_listener.port}"


def _listener(app: object, read_timeout: float = 5.0, limit: int = 100) -> Listener:
    assert isinstance(app, aiohttp.web.Application)
    return Listener(app, "127.0.0.1", 0, ListenerLimits(read_timeout, limit), "test")


@pytest.mark.parametrize("secret", [None, ""])
def test_the_webhook_is_never_served_without_a_secret(bot: Bot, secret: str | None) -> None:
    with pytest.raises(ValueError, match="secret"):
        build_public_app(Dispatcher(), bot, secret_token=secret)


async def test_a_body_that_is_not_an_update_gets_400_and_one_warning(bot, caplog) -> None:
    listener = _listener(build_public_app(Dispatcher(), bot, secret_token=SECRET))
    base = await _serve(listener)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    bodies = [b"{not json", b"[1, 2, 3]", b'"text"', b'{"message": 1}', b"\xff\xfe", b"[" * 10**5]
    try:
        with caplog.at_level(logging.WARNING, logger="esvitlo"):
            async with aiohttp.ClientSession() as http:
                for body in bodies:
                    async with http.post(f"{base}/webhook", data=body, headers=headers) as reply:
                        assert reply.status == 400, body
                async with http.post(f"{base}/webhook", data=b"[1]") as unsigned:
                    assert unsigned.status == 401
            await asyncio.sleep(0.05)  # a background task would have failed by now
    finally:
        await listener.stop()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage().split()[0] for r in warnings] == ["webhook.bad_update"] * len(bodies)
    assert all(r.exc_info is None for r in warnings)
    assert "Task exception was never retrieved" not in caplog.text


async def test_heartbeats_answer_head_get_and_post() -> None:
    beats = Beats()
    listener = _listener(build_public_app(heartbeat=beats.beat))
    base = await _serve(listener)
    try:
        async with aiohttp.ClientSession() as http:
            for method in ("HEAD", "GET", "POST"):
                async with http.request(method, f"{base}/hb/{KNOWN}") as reply:
                    assert reply.status == 200, method
            async with http.head(f"{base}/hb/{'x' * 32}") as unknown:
                assert unknown.status == 404
    finally:
        await listener.stop()
    assert beats.seen == [KNOWN, KNOWN, KNOWN, "x" * 32]


async def test_a_body_slower_than_the_read_timeout_gets_408() -> None:
    beats = Beats()
    listener = _listener(build_public_app(heartbeat=beats.beat), read_timeout=0.3)
    await listener.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
        writer.write(
            f"POST /hb/{KNOWN} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123".encode()
        )
        answer = await asyncio.wait_for(reader.read(), timeout=5)  # then the server closes
        writer.close()
    finally:
        await listener.stop()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert beats.seen == []


def _settings(tmp_path: Path, server: FixtureServer) -> Settings:
    regions = kyiv_catalogue(tmp_path, server.url("kyiv.json"))
    return Settings(
        ESVITLO_REGIONS_FILE=regions,
        ESVITLO_FETCH_ATTEMPTS=1,
        ESVITLO_POLL_INTERVAL=0.2,
        ESVITLO_POLL_JITTER=0,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=0,
        METRICS_PORT=0,
        HTTP_READ_TIMEOUT=10,
        HTTP_MAX_CONNECTIONS=CAP,
        BOT_TOKEN=None,
        REDIS_URL=None,
    )


CAP = 50
SLOW_CLIENTS = 300


class SlowClient:
    """Sends a request's first line, then one header line at a time, never the end."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.answer = b""
        self.closed = False  # by the server
        self.reading: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, port: int) -> SlowClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        return cls(reader, writer)

    async def read_until_closed(self) -> None:
        """Everything the server says until it closes the connection."""
        while chunk := await self.reader.read(4096):
            self.answer += chunk
        self.closed = True

    def trickle(self) -> None:
        if not self.writer.is_closing():
            self.writer.write(b"X-Slow: 1\r\n")


async def _status(url: str) -> int | str:
    try:
        async with aiohttp.ClientSession() as http, http.get(url) as reply:
            return reply.status
    except aiohttp.ClientError as exc:
        return type(exc).__name__


async def _open_slow_clients(port: int, count: int) -> list[SlowClient]:
    clients = await asyncio.gather(*(SlowClient.open(port) for _ in range(count)))
    for client in clients:
        client.reading = asyncio.create_task(client.read_until_closed())
    return list(clients)


async def _close(clients: list[SlowClient]) -> None:
    for client in clients:
        client.writer.close()
    await asyncio.gather(*(c.reading for c in clients if c.reading), return_exceptions=True)


async def test_slow_clients_neither_exhaust_nor_keep_a_running_instance(server, tmp_path):
    server.replies["kyiv.json"] = Reply(file=A1227)
    service = Service(_settings(tmp_path, server))
    await service.start()
    clients: list[SlowClient] = []
    try:
        public = f"http://127.0.0.1:{service.http_port}"
        private = f"http://127.0.0.1:{service.metrics_port}"
        runs_before = service.watch.stats["kyiv"].runs
        loop = asyncio.get_running_loop()
        started = loop.time()
        clients = await _open_slow_clients(service.http_port or 0, SLOW_CLIENTS)
        while sum(c.closed for c in clients) < SLOW_CLIENTS - CAP and loop.time() < started + 1:
            await asyncio.sleep(0.05)
        refused = [c for c in clients if c.answer.startswith(b"HTTP/1.1 503 ")]
        held = [c for c in clients if not c.closed]
        assert (len(refused), len(held)) == (SLOW_CLIENTS - CAP, CAP)  # a burst: refused
        assert all(c.answer.endswith(b"\r\n\r\ntoo many connections\n") for c in refused)
        assert await _status(f"{private}/health/ready") == 200  # the private side serves

        while loop.time() < started + EVICT_AFTER + 0.2:  # the held ones are old now
            for client in held:
                client.trickle()
            await asyncio.sleep(0.2)
        assert await _status(f"{public}/health") == 200
        assert await _status(f"{public}/hb/{'x' * 32}") == 404  # answered: an unknown secret
        await asyncio.sleep(0.1)
        evicted = [c for c in held if c.closed]
        # /health closed the oldest; /hb/ one more, unless /health's slot was free again
        assert 1 <= len(evicted) <= 2 and all(not c.answer for c in evicted)
        assert service.watch.stats["kyiv"].runs > runs_before  # fetches went on meanwhile
    finally:
        await _close(clients)
        await service.stop()


async def test_a_client_slower_than_the_read_timeout_with_its_headers_is_cut_off() -> None:
    listener = _listener(build_public_app(), read_timeout=0.5)
    await listener.start()
    clients: list[SlowClient] = []
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        clients = await _open_slow_clients(listener.port, 5)
        while not all(c.closed for c in clients) and loop.time() < started + 5:
            for client in clients:
                client.trickle()
            await asyncio.sleep(0.1)
        took = loop.time() - started
    finally:
        await _close(clients)
        await listener.stop()
    assert all(c.closed and not c.answer for c in clients)
    assert 0.5 <= took < 1.5, took
