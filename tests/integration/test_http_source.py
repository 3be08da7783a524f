"""HttpScheduleSource against a real local aiohttp server serving a real fixture file."""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from esvitlo import __version__
from esvitlo.adapters.http_source import HttpScheduleSource
from esvitlo.domain.catalogue import display_url
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.ports import SourceUnavailable

from fixture_files import fixtures_dir

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def fixture_file() -> Path:
    return fixtures_dir() / "outage-data-ua" / "kyiv" / "2025-11-09T0633_a256.json"


class Server:
    """A local server whose routes count requests and can fail, hang or send too much."""

    def __init__(self) -> None:
        self.body = fixture_file().read_bytes()
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
        self.requests: dict[str, list[web.Request]] = defaultdict(list)
        self.failures_left: dict[str, int] = {}
        self.release = asyncio.Event()
        self.app = web.Application()
        routes: dict[str, Handler] = {
            "/doc": self.doc,
            "/flaky": self.flaky,
            "/down": self.down,
            "/missing": self.missing,
            "/hang": self.hang,
            "/stream": self.stream,
            "/busy": self.busy,
        }
        for path, handler in routes.items():
            self.app.router.add_get(path, self.counted(handler))
        self.test_server = TestServer(self.app, host="127.0.0.1", port=0)

    def url(self, path: str) -> str:
        return str(self.test_server.make_url(path))

    def count(self, path: str) -> int:
        return len(self.requests[path])

    def counted(self, handler: Handler) -> Handler:
        async def wrapper(request: web.Request) -> web.StreamResponse:
            self.requests[request.path].append(request)
            return await handler(request)

        return wrapper

    async def doc(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304, headers={"ETag": self.etag})
        return web.Response(body=self.body, headers={"ETag": self.etag})

    async def flaky(self, request: web.Request) -> web.StreamResponse:
        left = self.failures_left.get(request.path, 0)
        if left > 0:
            self.failures_left[request.path] = left - 1
            return web.Response(status=503, text="try later")
        return await self.doc(request)

    async def busy(self, request: web.Request) -> web.StreamResponse:
        if self.count(request.path) == 1:
            return web.Response(status=429, text="slow down")
        return await self.doc(request)

    async def down(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=503, text="down")

    async def missing(self, request: web.Request) -> web.StreamResponse:
        return web.Response(status=404, text="no such file")

    async def hang(self, request: web.Request) -> web.StreamResponse:
        await self.release.wait()
        return await self.doc(request)

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """The body in chunks without a Content-Length, so only the running count can cap it."""
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(self.body), 4096):
            await response.write(self.body[start : start + 4096])
        await response.write_eof()
        return response


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    await srv.test_server.start_server()
    yield srv
    srv.release.set()
    await srv.test_server.close()


@pytest.fixture
async def source() -> AsyncIterator[HttpScheduleSource]:
    async with HttpScheduleSource(
        timeout=0.3, attempts=3, backoff=0.01, backoff_max=0.02, backoff_jitter=0.0
    ) as src:
        yield src


async def test_200_then_304_with_if_none_match(server: Server, source: HttpScheduleSource) -> None:
    first = await source.fetch(server.url("/doc"))
    assert first.body == server.body
    assert first.etag == server.etag
    assert parse_document(decode_json(first.body), region="kyiv").queues

    second = await source.fetch(server.url("/doc"), etag=first.etag)
    assert second.body is None
    assert second.etag == server.etag
    sent = [r.headers.get("If-None-Match") for r in server.requests["/doc"]]
    assert sent == [None, server.etag]


async def test_stale_etag_gets_the_full_body(server: Server, source: HttpScheduleSource) -> None:
    fetched = await source.fetch(server.url("/doc"), etag='"old"')
    assert fetched.body == server.body


async def test_sends_user_agent(server: Server, source: HttpScheduleSource) -> None:
    await source.fetch(server.url("/doc"))
    assert server.requests["/doc"][0].headers["User-Agent"] == f"esvitlo-monitor/{__version__}"


async def test_retries_503_then_succeeds(server: Server, source: HttpScheduleSource) -> None:
    server.failures_left["/flaky"] = 2
    fetched = await source.fetch(server.url("/flaky"))
    assert fetched.body == server.body
    assert server.count("/flaky") == 3


async def test_retries_429(server: Server, source: HttpScheduleSource) -> None:
    fetched = await source.fetch(server.url("/busy"))
    assert fetched.body == server.body
    assert server.count("/busy") == 2


async def test_gives_up_after_attempts(server: Server, source: HttpScheduleSource) -> None:
    with pytest.raises(SourceUnavailable, match=r"HTTP 503.* \(gave up after 3 attempts\)"):
        await source.fetch(server.url("/down"))
    assert server.count("/down") == 3


async def test_other_4xx_is_not_retried(server: Server, source: HttpScheduleSource) -> None:
    with pytest.raises(SourceUnavailable, match="HTTP 404"):
        await source.fetch(server.url("/missing"))
    assert server.count("/missing") == 1


async def test_timeout_is_retried_then_reported(server: Server) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with HttpScheduleSource(timeout=0.1, attempts=2, backoff=0.01, backoff_jitter=0) as src:
        with pytest.raises(SourceUnavailable, match=r"timed out.* \(gave up after 2 attempts\)"):
            await src.fetch(server.url("/hang"))
    assert server.count("/hang") == 2
    assert loop.time() - started < 0.5


async def test_connection_refused_is_source_unavailable() -> None:
    free = TestServer(web.Application(), host="127.0.0.1", port=0)
    await free.start_server()
    url = str(free.make_url("/gone"))
    await free.close()
    async with HttpScheduleSource(timeout=0.3, attempts=2, backoff=0.01, backoff_jitter=0) as src:
        with pytest.raises(SourceUnavailable, match=r"could not connect: .*gave up after 2"):
            await src.fetch(url)


async def test_a_name_that_does_not_resolve_is_said_in_words() -> None:
    async with HttpScheduleSource(timeout=2, attempts=1, backoff_jitter=0) as src:
        with pytest.raises(SourceUnavailable) as failed:
            await src.fetch("http://schedule.invalid/kyiv.json")
    assert str(failed.value) == (
        "http://schedule.invalid/kyiv.json: could not resolve the name (gave up after 1 attempt)"
    )


@pytest.mark.parametrize("path", ["/doc", "/stream"])
async def test_oversized_body_is_refused(server: Server, path: str) -> None:
    async with HttpScheduleSource(timeout=0.3, max_body=10_000, backoff_jitter=0) as src:
        with pytest.raises(SourceUnavailable, match="larger than 10000 bytes"):
            await src.fetch(server.url(path))
    assert server.count(path) == 1


async def test_body_at_the_cap_is_accepted(server: Server) -> None:
    async with HttpScheduleSource(timeout=0.3, max_body=len(server.body)) as src:
        assert (await src.fetch(server.url("/stream"))).body == server.body


async def test_close_then_fetch_opens_a_new_session(server: Server) -> None:
    src = HttpScheduleSource(timeout=0.3)
    await src.fetch(server.url("/doc"))
    await src.close()
    await src.close()
    assert (await src.fetch(server.url("/doc"))).body == server.body
    await src.close()


def test_display_url_hides_secrets() -> None:
    url = "https://user:pw@example.com:8443/data/kyiv.json?token=abc#x"
    assert display_url(url) == "https://example.com:8443/data/kyiv.json"
