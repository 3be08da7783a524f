"""Test helpers: a local HTTP server that serves real fixture files, and a settable clock."""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer

from esvitlo.testing.feed import shift_days

from fixture_files import fixtures_dir


@dataclass(frozen=True)
class Reply:
    """What the server answers on a path: a fixture file (after ``delay``), a status with
    optional raw bytes, or a hang until released."""

    file: str | None = None
    status: int = 200
    raw: bytes | None = None
    delay: float = 0.0
    hang: bool = False


def shifted_fixture(file: str, today: date) -> bytes:
    """A real DTEK fixture whose days are moved so that its ``fact.today`` is ``today``."""
    return shift_days((fixtures_dir() / file).read_bytes(), today)


def kyiv_catalogue(folder: Path, url: str) -> Path:
    """A regions file with Kyiv alone, read from ``url`` (a DTEK document)."""
    regions = folder / "regions.toml"
    regions.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return regions


class FixtureServer:
    """Serves swappable replies per path, with ETags and 304 for files; counts requests."""

    def __init__(self) -> None:
        self.replies: dict[str, Reply] = {}
        self.hits: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.release = asyncio.Event()
        app = web.Application()
        app.router.add_get("/{name}", self.handle)
        self.test_server = TestServer(app, host="127.0.0.1", port=0)

    def url(self, name: str) -> str:
        return str(self.test_server.make_url(f"/{name}"))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.hits[name] += 1
        reply = self.replies.get(name, Reply(status=404))
        if reply.hang:
            await self.release.wait()
        await asyncio.sleep(reply.delay)
        if reply.raw is not None or reply.file is None:
            return web.Response(status=reply.status, body=reply.raw or b"")
        body = (fixtures_dir() / reply.file).read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            self.not_modified[name] += 1
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"ETag": etag})


class FakeClock:
    """A settable clock (ports.Clock); ``sleep`` records the wanted delay and yields briefly."""

    def __init__(self, now: datetime) -> None:
        self.current = now
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0.005)

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)
