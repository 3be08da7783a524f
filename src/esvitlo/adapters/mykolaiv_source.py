"""The Mykolaiv operator's API read as one document: three GETs, one bundle.

The catalogue names the API's base (``https://off.energy.mk.ua/api/``); the rest of the
system handles one document per source, so this source fetches the queue list, the
half-hour slots and the active schedule through the ordinary source (each part with its
own ETag, size cap and retries, and through the cache shared between instances when there
is one) and hands on ``{"queues": …, "time_series": …, "active": …}``, the bundle
``domain.mykolaiv`` reads, ``esvitlo schedule --file`` reads and the fixtures record.

The bundle's ETag is a hash of its bytes, so an unchanged bundle reads as 304 Not
Modified and is not parsed again, whatever the parts' servers say about ETags. A failure
of any part is a failure of the source.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Iterable

from esvitlo.domain.catalogue import Region, display_url
from esvitlo.domain.documents import SourceKind
from esvitlo.ports import CachedDocument, Fetched, ScheduleSource, SourceUnavailable

# bundle key -> path under the API's base
PARTS = (
    ("queues", "outage-queue/by-type/3"),
    ("time_series", "schedule/time-series"),
    ("active", "v2/schedule/active"),
)


def part_url(base: str, path: str) -> str:
    """The URL of one API document under the catalogue's base URL."""
    return base.rstrip("/") + "/" + path


def bundle(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """The bundle object from each part's JSON text, kept byte for byte."""
    members = b",".join(json.dumps(key).encode() + b":" + body for key, body in parts)
    return b"{" + members + b"}"


class MykolaivBundleSource:
    """ports.ScheduleSource: the URLs in ``bases`` are Mykolaiv API bases, read as a bundle
    through ``inner``; every other URL goes to ``inner`` unchanged."""

    def __init__(self, inner: ScheduleSource, bases: Iterable[str]) -> None:
        self._inner = inner
        self._bases = frozenset(bases)
        self._parts: dict[str, CachedDocument] = {}  # part URL -> its last good answer

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        """The bundle of the three documents under ``url`` (304 when it is unchanged)."""
        if url not in self._bases:
            return await self._inner.fetch(url, etag)
        answers = await asyncio.gather(
            *(self._part(part_url(url, path)) for _, path in PARTS), return_exceptions=True
        )
        bodies: list[bytes] = []
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
            bodies.append(answer)
        body = bundle(zip((key for key, _ in PARTS), bodies, strict=True))
        tag = '"mk-' + hashlib.sha256(body).hexdigest()[:24] + '"'
        if etag == tag:
            return Fetched(None, tag)
        return Fetched(body, tag)

    async def _part(self, url: str) -> bytes:
        """One part's JSON text, fetched conditionally against the last good copy."""
        known = self._parts.get(url)
        fetched = await self._inner.fetch(url, known.etag if known else None)
        if fetched.body is None:
            if known is None:
                raise SourceUnavailable(f"{display_url(url)}: 304 Not Modified without a copy")
            return known.body
        body = fetched.body.removeprefix(b"\xef\xbb\xbf")
        try:  # UTF-8 JSON only: the bundle embeds the text as it is
            json.loads(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise SourceUnavailable(f"{display_url(url)}: not UTF-8 JSON: {exc}") from None
        self._parts[url] = CachedDocument(body, fetched.etag)
        return body


def for_region(region: Region, source: ScheduleSource) -> ScheduleSource:
    """``source`` itself, or wrapped to read the region's Mykolaiv API sources as bundles."""
    bases = [s.url for s in region.sources if s.kind is SourceKind.MYKOLAIV]
    return MykolaivBundleSource(source, bases) if bases else source
