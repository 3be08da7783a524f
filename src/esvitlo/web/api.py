"""The JSON API under ``/api/v1/`` (a sub-application with its own middleware).

Every answer: JSON, an ETag (304 when unchanged), Cache-Control and CORS for GET from any
origin. Errors have one shape, ``{"error": {"code", "message"}}``. Each client address may make
``rate_limit`` requests a minute (in-process sliding window: with N instances behind a balancer
a client may get up to N times that); beyond it, 429 with Retry-After. Behind a reverse proxy
on the same host (a loopback peer), the client is the last X-Forwarded-For address.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_address
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from esvitlo.domain.api_views import (
    error_body,
    monitor_document,
    queues_document,
    regions_document,
    schedule_document,
)
from esvitlo.domain.sliding_window import SlidingWindowLimiter
from esvitlo.domain.texts import language_code
from esvitlo.ports import Clock
from esvitlo.services.public_feeds import (
    FeedNotFound,
    FeedNotReady,
    FeedSchedules,
    MonitorLookup,
)
from esvitlo.web.api_openapi import openapi_document
from esvitlo.web.http_cache import conditional, etag_of
from esvitlo.web.page_cache import PageCache, Rendered

logger = logging.getLogger(__name__)

PREFIX = "/api/v1"
JSON_TYPE = "application/json; charset=utf-8"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Max-Age": "86400",
}
DEFAULT_RATE_LIMIT = 120  # requests per client address per minute
SHORT_CACHE = "public, max-age=60"
LONG_CACHE = "public, max-age=3600"
MONITOR_CACHE = "private, max-age=30"
DEFAULT_ZONE = "Europe/Kyiv"  # a monitor with no address
SCHEDULE_CACHE_SECONDS = 2.0
"""How long a queue's schedule document is reused: a poll storm of one queue (every Home
Assistant of a district) costs one build a while; the "now" part lags by at most this."""


@dataclass(frozen=True, slots=True)
class ApiDeps:
    """What the API reads, the clock and the per-address limit (0: no limit)."""

    schedules: FeedSchedules
    monitors: MonitorLookup
    clock: Clock
    rate_limit: int = DEFAULT_RATE_LIMIT
    schedule_cache: float = SCHEDULE_CACHE_SECONDS


DEPS_KEY = web.AppKey("api_deps", ApiDeps)
LIMITER_KEY = web.AppKey("api_limiter", SlidingWindowLimiter)
SCHEDULES_KEY = web.AppKey("api_schedule_documents", PageCache)


class ApiError(Exception):
    """An error answered as ``{"error": {"code", "message"}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def _json(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _error_response(error: ApiError) -> web.Response:
    return web.Response(
        status=error.status,
        body=_json(error_body(error.code, error.message)),
        headers={"Content-Type": JSON_TYPE, "Cache-Control": "no-store", **CORS, **error.headers},
    )


def client_address(request: web.Request) -> str:
    """The client's address: the peer, or behind a proxy on loopback the last forwarded one."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For")
    try:
        local_proxy = ip_address(peer).is_loopback
    except ValueError:
        local_proxy = False
    if forwarded and local_proxy:
        return forwarded.split(",")[-1].strip() or peer
    return peer


def _limit(request: web.Request) -> None:
    limiter = request.app.get(LIMITER_KEY)
    if limiter is None:
        return
    wait = limiter.take(client_address(request), request.app[DEPS_KEY].clock.now())
    if wait is not None:
        seconds = str(max(1, math.ceil(wait.total_seconds())))
        raise ApiError(429, "rate_limited", "too many requests", {"Retry-After": seconds})


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CORS on every answer, the rate limit, and errors as JSON (404 and 405 included)."""
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=PREFLIGHT)
    try:
        _limit(request)
        response = await handler(request)
    except ApiError as error:
        return _error_response(error)
    except web.HTTPNotFound:
        return _error_response(ApiError(404, "not_found", "no such resource"))
    except web.HTTPMethodNotAllowed:
        return _error_response(ApiError(405, "method_not_allowed", "only GET is served"))
    response.headers.update(CORS)
    return response


def _reply(request: web.Request, doc: Any, cache: str) -> web.Response:
    return conditional(request, _json(doc), JSON_TYPE, cache)


async def regions(request: web.Request) -> web.Response:
    """``/regions``: every region of the catalogue."""
    deps = request.app[DEPS_KEY]
    lang = language_code(request.query.get("lang"))
    return _reply(request, regions_document(deps.schedules.regions, lang), LONG_CACHE)


async def _guarded(call: Awaitable[Any]) -> Any:
    try:
        return await call
    except FeedNotFound:
        raise ApiError(404, "not_found", "no such region or queue") from None
    except FeedNotReady:
        raise ApiError(503, "not_ready", "no schedule stored yet", {"Retry-After": "60"}) from None


async def queues(request: web.Request) -> web.Response:
    """``/regions/{region}/queues``: the region's queues."""
    deps = request.app[DEPS_KEY]
    region, ids = await _guarded(deps.schedules.queues(request.match_info["region"]))
    names = await deps.schedules.queue_names(region.id)
    return _reply(request, queues_document(region, [(q, names.get(q)) for q in ids]), SHORT_CACHE)


async def schedule(request: web.Request) -> web.Response:
    """``/regions/{region}/queues/{queue}/schedule``: stored days, freshness, now and next."""
    deps = request.app[DEPS_KEY]
    region_id, queue = request.match_info["region"], request.match_info["queue"]

    async def build() -> Rendered:
        found = await _guarded(deps.schedules.queue(region_id, queue))
        source = await deps.schedules.source_state(found.region.id)
        doc = schedule_document(found.region, found.queue, found.days, source, deps.clock.now())
        body = _json(doc)
        return Rendered(body, JSON_TYPE, etag_of(body))

    document = await request.app[SCHEDULES_KEY].get(f"{region_id}\n{queue}", build)
    return conditional(request, document.body, JSON_TYPE, SHORT_CACHE, etag=document.etag)


async def monitor(request: web.Request) -> web.Response:
    """``/monitors/{secret}``: a monitor's state, by its heartbeat secret."""
    deps = request.app[DEPS_KEY]
    status = await deps.monitors.by_secret(request.match_info["secret"])
    if status is None:
        raise ApiError(404, "not_found", "no such monitor")
    zone = ZoneInfo(DEFAULT_ZONE)
    if status.region:
        with suppress(FeedNotFound):
            zone = ZoneInfo(deps.schedules.region(status.region).tz)
    return _reply(request, monitor_document(status, zone), MONITOR_CACHE)


async def openapi(request: web.Request) -> web.Response:
    """``/openapi.json``: this API described."""
    return _reply(request, openapi_document(), LONG_CACHE)


ROUTES: tuple[tuple[str, Handler], ...] = (
    ("/regions", regions),
    ("/regions/{region}/queues", queues),
    ("/regions/{region}/queues/{queue}/schedule", schedule),
    ("/monitors/{secret}", monitor),
    ("/openapi.json", openapi),
)


def build_api_app(deps: ApiDeps) -> web.Application:
    """The API as a sub-application, to be added at ``/api/v1``."""
    app = web.Application(middlewares=[api_middleware])
    app[DEPS_KEY] = deps
    clock = deps.clock
    app[SCHEDULES_KEY] = PageCache(deps.schedule_cache, monotonic=lambda: clock.now().timestamp())
    if deps.rate_limit > 0:
        app[LIMITER_KEY] = SlidingWindowLimiter(deps.rate_limit, timedelta(minutes=1))
    for path, handler in ROUTES:
        app.router.add_get(path, handler)
        app.router.add_route("OPTIONS", path, handler)
    return app


def add_api_routes(app: web.Application, deps: ApiDeps) -> None:
    """Serve the API under ``/api/v1`` on ``app``."""
    app.add_subapp(PREFIX, build_api_app(deps))
