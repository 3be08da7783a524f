"""Test helpers for several real service processes: a private redis-server that can be
restarted, and `esvitlo run` instances whose logs, health and leadership the test reads."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import sys
from collections.abc import Mapping
from pathlib import Path

import aiohttp
import pytest
from redis.asyncio import Redis

LISTENING = re.compile(r"app\.http_listening\b.*\bport=(\d+)")
METRICS_LISTENING = re.compile(r"app\.metrics_listening\b.*\bport=(\d+)")
LEADER_GAUGE = re.compile(r"^leader (\d+(?:\.\d+)?)$", re.MULTILINE)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require(problem: str | None) -> None:
    """Skip the test for a missing service, or fail it when ESVITLO_REQUIRE_SERVICES=1."""
    if problem is None:
        return
    if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{problem}; ESVITLO_REQUIRE_SERVICES=1 requires it", pytrace=False)
    pytest.skip(problem)


async def stop_process(process: asyncio.subprocess.Process, grace: float = 5.0) -> None:
    """Terminate ``process`` and wait for it; kill it when it outlives ``grace`` seconds."""
    if process.returncode is not None:
        return
    try:
        process.terminate()
        await asyncio.wait_for(process.wait(), timeout=grace)
    except TimeoutError:
        process.kill()
        await process.wait()
    except ProcessLookupError:
        await process.wait()


class PrivateRedis:
    """A redis-server of this test alone on a fixed free port, without persistence, so the
    test may stop and start it again (an empty Redis) without touching anyone else's."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        """Start the server and wait until it answers PING."""
        binary = shutil.which("redis-server")
        if binary is None:
            require("redis-server is not installed")
        assert binary is not None
        self.process = await asyncio.create_subprocess_exec(
            binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--dir", str(self.directory),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        client = Redis.from_url(self.url)
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        await client.ping()
                        return
                    except Exception:  # not listening yet
                        await asyncio.sleep(0.05)
        finally:
            await client.aclose()

    async def stop(self) -> None:
        """Stop the server (its data is gone: nothing is saved)."""
        if self.process is not None:
            await stop_process(self.process)
            self.process = None


class Instance:
    """One `esvitlo run` process; its stderr is read all along into ``lines``."""

    def __init__(self, name: str, env: Mapping[str, str]) -> None:
        self.name = name
        self.env = dict(env)
        self.lines: list[str] = []
        self.port: int | None = None  # the public listener: /health, /hb/, the webhook
        self.metrics_port: int | None = None  # the private one: /metrics, /health/ready
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the process; its HTTP port is known once it logs it."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "esvitlo", "run", env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        self._reader = asyncio.create_task(self._read(), name=f"log-{self.name}")

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while line := await self.process.stderr.readline():
            text = line.decode(errors="replace").rstrip()
            self.lines.append(text)
            if self.port is None and (found := LISTENING.search(text)):
                self.port = int(found.group(1))
            if self.metrics_port is None and (found := METRICS_LISTENING.search(text)):
                self.metrics_port = int(found.group(1))

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def logged(self, event: str) -> int:
        """How many log lines mention ``event``."""
        return sum(1 for line in self.lines if event in line)

    async def healthy(self, session: aiohttp.ClientSession) -> bool:
        """Whether /health answers 200."""
        if self.port is None or not self.alive:
            return False
        try:
            async with session.get(f"http://127.0.0.1:{self.port}/health") as response:
                return response.status == 200
        except aiohttp.ClientError:
            return False

    async def leads(self, session: aiohttp.ClientSession) -> bool:
        """Whether its /metrics ``leader`` gauge is 1 (False when it does not answer)."""
        if self.metrics_port is None or not self.alive:
            return False
        try:
            async with session.get(f"http://127.0.0.1:{self.metrics_port}/metrics") as response:
                found = LEADER_GAUGE.search(await response.text())
        except aiohttp.ClientError:
            return False
        return found is not None and float(found.group(1)) == 1.0

    def kill(self) -> None:
        """SIGKILL: no clean-up, no lease handed back."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> None:
        """Terminate (then kill) the process and finish reading its log."""
        if self.process is not None:
            await stop_process(self.process, grace=10.0)
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    def tail(self, count: int = 30) -> str:
        """Its last log lines, for assertion messages."""
        code = self.process.returncode if self.process is not None else None
        return f"--- {self.name} (exit {code}) ---\n" + "\n".join(self.lines[-count:])
