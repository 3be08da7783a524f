"""The instance's two HTTP listeners: the public one (/health, heartbeats, the webhook) on
HTTP_HOST:HTTP_PORT and the private one (/metrics, /health/ready) on METRICS_HOST:METRICS_PORT,
each with its read timeout and connection cap."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from esvitlo.app.process_limits import inbound_connection_cap
from esvitlo.settings import Settings

if TYPE_CHECKING:  # aiohttp.web is imported only when the service runs
    from aiohttp import web

    from esvitlo.web.listener import Listener

logger = logging.getLogger("esvitlo")

PRIVATE_CONNECTIONS = 64  # the private listener's cap: a scraper and a health check or two


async def open_listeners(
    settings: Settings, public: web.Application, private: web.Application
) -> list[Listener]:
    """Start both listeners (public first); they are returned in that order."""
    from esvitlo.web.listener import Listener, ListenerLimits

    cap = inbound_connection_cap(settings.http_max_connections)
    timeout = settings.http_read_timeout
    public_limits = ListenerLimits(timeout, cap)
    private_limits = ListenerLimits(timeout, min(cap, PRIVATE_CONNECTIONS))
    listeners = [
        Listener(public, settings.http_host, settings.http_port, public_limits, "public"),
        Listener(private, settings.metrics_host, settings.metrics_port, private_limits, "private"),
    ]
    for listener in listeners:
        await listener.start()
    logger.info("app.http_listening port=%s max_connections=%d", listeners[0].port, cap)
    host = settings.metrics_host
    logger.info("app.metrics_listening host=%s port=%s", host, listeners[1].port)
    return listeners
