"""The counting fake of ``bench fanout`` (``esvitlo.cli.bench_fake``) in a child process, and
its control API: tallies of what every chat received, and its flood limits on or off.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from esvitlo.cli.errors import CliError


class FakeProcess:
    """The counting fake in a child process, and its control API."""

    def __init__(self, process: asyncio.subprocess.Process, base_url: str) -> None:
        self.process = process
        self.base_url = base_url
        self._http = aiohttp.ClientSession()

    async def control(self, method: str, path: str, body: Any = None, **query: int) -> Any:
        """Call a control route; its result."""
        url = f"{self.base_url}{path}"
        async with self._http.request(method, url, json=body, params=query or None) as response:
            answer = await response.json()
        if not answer.get("ok"):
            raise CliError(f"fake telegram refused {path}: {answer}")
        return answer["result"]

    async def tally(self, **query: int) -> dict[str, int]:
        """Answer counts so far (with first and count: lost and duplicates among those)."""
        result: dict[str, int] = await self.control("GET", "/_bench/tally", **query)
        return result

    async def limits(self, **limits: Any) -> None:
        """Switch the fake's flood limits (and forget what they counted)."""
        await self.control("POST", "/_control/limits", limits)

    def peak_rss_mb(self) -> float | None:
        """The fake process's peak resident memory (Linux), for the record."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        kib = next(
            (line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")), None
        )
        return round(int(kib) / 1024, 1) if kib else None

    async def close(self) -> None:
        await self._http.close()
        if self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


@asynccontextmanager
async def fake_process() -> AsyncIterator[FakeProcess]:
    """Start the counting fake (limits on) and stop it afterwards."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo.cli.bench_fake", stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=30)
    if not line.startswith(b"http"):
        process.kill()
        raise CliError("the fake Telegram did not start")
    fake = FakeProcess(process, line.decode().strip())
    try:
        yield fake
    finally:
        await fake.close()
