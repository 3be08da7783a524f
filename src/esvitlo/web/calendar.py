"""Calendar feeds over HTTP: ``/calendar/{region}/{queue}.ics`` (public, per queue) and
``/calendar/u/{secret}.ics`` (a user's private calendar; the secret is the link).

``?kinds=planned,possible,emergency`` picks the kinds of events (default: all), ``?lang=en``
the language of names and summaries (default: Ukrainian; a private calendar: its owner's).
Answers are ``text/calendar; charset=utf-8`` with an ETag (304 when unchanged) and
Cache-Control. A region not stored yet gets 503 with Retry-After, never an empty calendar.
"""

from __future__ import annotations

import logging
from email.utils import format_datetime

from aiohttp import web

from esvitlo.domain.calendar_feed import CalendarFeed, EventKind, parse_kinds
from esvitlo.domain.texts import language_code
from esvitlo.services.public_feeds import CalendarFeeds, FeedNotFound, FeedNotReady
from esvitlo.web.http_cache import conditional, etag_of
from esvitlo.web.ics import ics_bytes

logger = logging.getLogger(__name__)

CALENDARS_KEY = web.AppKey("calendars", CalendarFeeds)
CONTENT_TYPE = "text/calendar; charset=utf-8"
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=300"
RETRY_AFTER = "60"
_RENDERED_LIMIT = 4096  # public calendars kept rendered (region, queue, kinds, language)

_Key = tuple[str, str, frozenset[EventKind], str, str]


class _Rendered:
    """Public calendars already written, per request shape and data version."""

    def __init__(self) -> None:
        self.bodies: dict[_Key, tuple[bytes, str, str | None]] = {}

    def put(self, key: _Key, feed: CalendarFeed) -> tuple[bytes, str, str | None]:
        if len(self.bodies) >= _RENDERED_LIMIT:
            self.bodies.clear()  # versions moved on; the live ones come back on next ask
        body = ics_bytes(feed)
        modified = feed.last_modified
        entry = (body, etag_of(body), format_datetime(modified, usegmt=True) if modified else None)
        self.bodies[key] = entry
        return entry


RENDERED_KEY = web.AppKey("calendars_rendered", _Rendered)


def _ics_name(request: web.Request, name: str) -> str:
    file = request.match_info[name]
    if not file.endswith(".ics") or len(file) <= 4:
        raise web.HTTPNotFound(text="not found")
    return file[:-4]


def _kinds(request: web.Request) -> frozenset[EventKind]:
    kinds = parse_kinds(request.query.get("kinds"))
    if kinds is None:
        raise web.HTTPBadRequest(text="kinds: planned, possible or emergency, comma-separated")
    return kinds


def _answer(
    request: web.Request, body: bytes, etag: str, modified: str | None, cache: str
) -> web.Response:
    headers = {"Last-Modified": modified} if modified else {}
    return conditional(request, body, CONTENT_TYPE, cache, etag=etag, headers=headers)


async def public_calendar(request: web.Request) -> web.Response:
    """``/calendar/{region}/{queue}.ics``: a queue's outages."""
    feeds = request.app[CALENDARS_KEY]
    region, queue = request.match_info["region"], _ics_name(request, "file")
    kinds, lang = _kinds(request), language_code(request.query.get("lang"))
    try:
        found = await feeds.schedules.queue(region, queue)
        key = (found.region.id, found.queue, kinds, lang, found.version)
        rendered = request.app[RENDERED_KEY]
        entry = rendered.bodies.get(key)
        if entry is None:
            feed, _ = await feeds.public(region, queue, kinds, lang)
            entry = rendered.put(key, feed)
    except FeedNotFound:
        raise web.HTTPNotFound(text="no such region or queue") from None
    except FeedNotReady:
        raise web.HTTPServiceUnavailable(
            text="no schedule stored yet", headers={"Retry-After": RETRY_AFTER}
        ) from None
    return _answer(request, *entry, PUBLIC_CACHE)


async def private_calendar(request: web.Request) -> web.Response:
    """``/calendar/u/{secret}.ics``: the link owner's addresses and measured outages."""
    feeds = request.app[CALENDARS_KEY]
    secret = _ics_name(request, "file")
    lang = request.query.get("lang")
    try:
        feed = await feeds.private(secret, _kinds(request), language_code(lang) if lang else None)
    except FeedNotFound:
        raise web.HTTPNotFound(text="not found") from None
    body = ics_bytes(feed)
    modified = feed.last_modified
    stamp = format_datetime(modified, usegmt=True) if modified else None
    return _answer(request, body, etag_of(body), stamp, PRIVATE_CACHE)


def add_calendar_routes(app: web.Application, feeds: CalendarFeeds) -> None:
    """Serve the public and private calendars on ``app``."""
    app[CALENDARS_KEY] = feeds
    app[RENDERED_KEY] = _Rendered()
    app.router.add_get("/calendar/u/{file}", private_calendar)
    app.router.add_get("/calendar/{region}/{file}", public_calendar)
