"""Coordination over a real Redis when the connection breaks: a leader cut off from Redis
demotes itself, another takes over, and everything recovers without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_coordinator import RedisCoordinator
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.ports import CoordinationEvent, CoordinationUnavailable
from esvitlo.services.coordination import LeaderElection
from redis_service import drop_namespace, new_namespace, require_redis

TTL = 0.9  # beats every 0.3 s


class TcpProxy:
    """Forwards a local port to Redis; ``stop`` cuts every connection, ``start`` reopens."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self._writers |= {writer, upstream_writer}
        try:
            await asyncio.gather(
                self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
            )
        finally:
            self._writers -= {writer, upstream_writer}

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()


async def wait_until(condition, within: float = 5.0) -> float:
    """Poll ``condition`` (a function, or a coroutine function) until true; the seconds it
    took (fails after ``within`` seconds)."""
    started = time.monotonic()
    while True:
        outcome = condition()
        if asyncio.iscoroutine(outcome):
            outcome = await outcome
        if outcome:
            return time.monotonic() - started
        assert time.monotonic() - started < within, "condition never became true"
        await asyncio.sleep(0.02)


@pytest.fixture
async def redis_url():
    return await require_redis()


async def test_a_leader_cut_off_from_redis_demotes_and_everything_recovers(redis_url):
    parts = urlsplit(redis_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
    await proxy.start()
    namespace = new_namespace()
    proxied_url = parts._replace(netloc=f"127.0.0.1:{proxy.port}").geturl()
    cut_off = RedisCoordinator(
        connect(proxied_url, timeout=0.2), "a", namespace=namespace, timeout=0.2
    )
    direct = RedisCoordinator(connect(redis_url), "b", namespace=namespace)
    history: list[str] = []

    async def elected() -> None:
        history.append("a elected")

    async def demoted() -> None:
        history.append("a demoted")

    first = LeaderElection(cut_off, SystemClock(), ttl=TTL, on_elected=elected, on_demoted=demoted)
    second = LeaderElection(direct, SystemClock(), ttl=TTL)
    events: list[CoordinationEvent] = []

    async def record(event: CoordinationEvent) -> None:
        events.append(event)

    try:
        await first.start()
        await second.start()
        await cut_off.subscribe("settings", record)
        assert first.is_leader and not second.is_leader
        await proxy.stop()
        await wait_until(lambda: not first.is_leader, within=TTL)
        took = await wait_until(lambda: second.is_leader, within=2 * TTL)
        assert not first.is_leader, "never two leaders"
        assert took <= 2 * TTL
        with pytest.raises(CoordinationUnavailable):
            await cut_off.live_instances()
        await proxy.start()

        async def announced_again() -> bool:
            return "a" in await direct.live_instances()

        async def event_arrives() -> bool:
            await direct.publish("settings", "changed")
            await asyncio.sleep(0.1)
            return bool(events)

        await wait_until(announced_again)
        await wait_until(event_arrives)
        assert events[0] == CoordinationEvent("settings", "changed", "b")
        assert not first.is_leader
        await second.stop()
        await wait_until(lambda: first.is_leader, within=2 * TTL)
        assert history == ["a elected", "a demoted", "a elected"]
    finally:
        await first.stop()
        await second.stop()
        await cut_off.close()
        await direct.close()
        await proxy.stop()
        await drop_namespace(redis_url, namespace)


WORKER = Path(__file__).parent.parent / "coordination_worker.py"


async def start_worker(
    url: str, namespace: str, name: str
) -> tuple[asyncio.subprocess.Process, bool]:
    """A started worker, and whether it became the leader on its first beat."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), url, namespace, name, str(TTL),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    lines = []
    while (line := await asyncio.wait_for(process.stdout.readline(), timeout=30)) != b"ready\n":
        lines.append(line)
    return process, lines == [b"elected\n"]


async def test_sigkilled_leader_is_replaced_within_two_ttls(redis_url):
    namespace = new_namespace()
    first, first_leads = await start_worker(redis_url, namespace, "first")
    second, second_leads = await start_worker(redis_url, namespace, "second")
    try:
        assert first_leads and not second_leads
        first.send_signal(signal.SIGKILL)
        await first.wait()
        started = time.monotonic()
        assert second.stdout is not None
        line = await asyncio.wait_for(second.stdout.readline(), timeout=3 * TTL)
        took = time.monotonic() - started
        assert line == b"elected\n"
        assert took <= 2 * TTL, f"took {took:.2f}s with a TTL of {TTL}s"
    finally:
        for process in (first, second):
            if process.returncode is None:
                process.kill()
                await process.wait()
        await drop_namespace(redis_url, namespace)
