"""Conditional GET for the feeds and the API: a strong ETag over the body, 304 when the
client has it, and Cache-Control so proxies and clients keep it for a while."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from aiohttp import web


def etag_of(body: bytes) -> str:
    """A strong ETag of ``body`` (the same bytes give the same tag on every instance)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(request: web.Request, etag: str) -> bool:
    """Whether the request's If-None-Match names ``etag`` (or ``*``); weak tags compare by
    value, as RFC 9110 asks for If-None-Match."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def conditional(
    request: web.Request,
    body: bytes,
    content_type: str,
    cache_control: str,
    *,
    etag: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    """200 with ``body``, or 304 without it when the client's copy is current."""
    tag = etag or etag_of(body)
    common = {"ETag": tag, "Cache-Control": cache_control, **(headers or {})}
    if matches(request, tag):
        return web.Response(status=304, headers=common)
    return web.Response(body=body, headers={"Content-Type": content_type, **common})
