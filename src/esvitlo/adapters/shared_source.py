"""A schedule source shared by every instance: documents fetched by one are served to the
others from the SourceCache for a while, so N instances cost the upstream one fetch.

A cached copy whose ETag the caller already has reads as 304 Not Modified, as the upstream
would answer. A 304 from the upstream caches nothing (there is no body to share).
"""

from __future__ import annotations

from esvitlo.ports import CachedDocument, Fetched, ScheduleSource, SourceCache


class SharedScheduleSource:
    """ports.ScheduleSource: ``inner`` behind ``cache``, each document kept ``ttl`` seconds."""

    def __init__(self, inner: ScheduleSource, cache: SourceCache, ttl: float) -> None:
        self._inner = inner
        self._cache = cache
        self._ttl = ttl

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        """The cached document when there is one, else the upstream's (then cached)."""
        cached = await self._cache.get(url)
        if cached is not None:
            if etag is not None and cached.etag == etag:
                return Fetched(None, etag)
            return Fetched(cached.body, cached.etag)
        fetched = await self._inner.fetch(url, etag)
        if fetched.body is not None:
            await self._cache.put(url, CachedDocument(fetched.body, fetched.etag), self._ttl)
        return fetched
