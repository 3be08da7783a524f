"""Rendered public pages kept for a few seconds, with their ETags, and the conditional
answer (304 when the client's ETag matches).

A page says "in 2 h 30 min", so it changes every minute however still its data is: a short
life bounds how late that wording gets, and a burst of readers costs one render. Each
instance keeps its own copy; all of them render the same page from the same data.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from aiohttp import web

DEFAULT_TTL = 15.0
MAX_PAGES = 4096


@dataclass(frozen=True, slots=True)
class Rendered:
    """A page's bytes, content type, ETag and the extra headers it is served with."""

    body: bytes
    content_type: str
    etag: str
    status: int = 200
    headers: Mapping[str, str] | None = None


def rendered(
    body: bytes,
    content_type: str,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    etag: str | None = None,
) -> Rendered:
    """A page with an ETag made from its bytes unless one is given."""
    tag = etag or hashlib.blake2b(body, digest_size=12).hexdigest()
    return Rendered(body, content_type, f'"{tag}"', status, headers)


class PageCache:
    """Keeps rendered pages by key for ``ttl`` seconds (``monotonic`` is injectable)."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        *,
        max_pages: int = MAX_PAGES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_pages
        self._monotonic = monotonic
        self._pages: OrderedDict[str, tuple[float, Rendered]] = OrderedDict()

    async def get(self, key: str, render: Callable[[], Awaitable[Rendered]]) -> Rendered:
        """The cached page, or a fresh render (kept unless it is an error page)."""
        now = self._monotonic()
        hit = self._pages.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        page = await render()
        if page.status == 200:
            self._pages[key] = (now + self._ttl, page)
            self._pages.move_to_end(key)
            while len(self._pages) > self._max:
                self._pages.popitem(last=False)
        return page


def respond(request: web.Request, page: Rendered, cache_control: str) -> web.Response:
    """The page, or 304 when the request's If-None-Match holds its ETag."""
    headers = {"ETag": page.etag, "Cache-Control": cache_control, **(page.headers or {})}
    wanted = request.headers.get("If-None-Match", "")
    if page.status == 200 and page.etag in {tag.strip() for tag in wanted.split(",")}:
        return web.Response(status=304, headers=headers)
    headers["Content-Type"] = page.content_type
    return web.Response(body=page.body, status=page.status, headers=headers)
