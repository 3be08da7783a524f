"""A local schedule feed for demos and tests: serves documents by name, with ETags.

Names may hold slashes, so an API of several documents (Mykolaiv's) is served under a
prefix: ``serve_mykolaiv`` splits a bundle into its three documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from aiohttp import web

from esvitlo.adapters.mykolaiv_source import PARTS as MYKOLAIV_PARTS

KYIV = ZoneInfo("Europe/Kyiv")


def shift_days(raw: bytes, today: date, now: datetime | None = None) -> bytes:
    """A DTEK document whose days are moved so that its ``fact.today`` is ``today``.

    ``lastUpdated`` and ``fact.update`` become ``now`` so the copy reads as fresh.
    """
    doc = json.loads(raw)
    fact = doc["fact"]
    old_today = datetime.fromtimestamp(int(fact["today"]), KYIV).date()

    def moved(stamp: str | int) -> int:
        day = datetime.fromtimestamp(int(stamp), KYIV).date() + (today - old_today)
        return int(datetime.combine(day, time(), KYIV).timestamp())

    fact["data"] = {str(moved(k)): v for k, v in (fact["data"] or {}).items()}
    fact["today"] = moved(fact["today"])
    moment = now or datetime.now(UTC)
    doc["lastUpdated"] = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    fact["update"] = moment.astimezone(KYIV).strftime("%d.%m.%Y %H:%M")
    return json.dumps(doc, ensure_ascii=False).encode()


class FeedServer:
    """Serves ``/{name}`` (``name`` may hold slashes) from a dict of documents that the
    caller may replace at any time."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.documents: dict[str, bytes] = {}
        self.requests = 0
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def _serve(self, request: web.Request) -> web.Response:
        self.requests += 1
        body = self.documents.get(request.match_info["name"])
        if body is None:
            return web.Response(status=404)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/json", headers={"ETag": etag})

    async def start(self) -> str:
        """Start serving; the base URL."""
        app = web.Application()
        app.router.add_get("/{name:.+}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    def url(self, name: str) -> str:
        """The URL of a document."""
        return f"{self.base_url}/{name}"

    def serve_mykolaiv(self, prefix: str, bundle: Mapping[str, object] | bytes) -> str:
        """Serve a Mykolaiv bundle as the API's three documents under ``prefix``; the base URL
        a catalogue source of kind ``mykolaiv`` names."""
        doc = json.loads(bundle) if isinstance(bundle, bytes) else bundle
        for key, path in MYKOLAIV_PARTS:
            self.documents[f"{prefix}/{path}"] = json.dumps(doc[key], ensure_ascii=False).encode()
        return self.url(prefix) + "/"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
