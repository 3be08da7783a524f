"""The HTTP side of an instance, as two apps on two listeners.

Public (HTTP_HOST:HTTP_PORT): ``/health``, the Telegram webhook (see ``webhook.py``), the
heartbeats ``/hb/<secret>``, the status pages ``/`` and ``/r/...`` (``status_pages.py``), the
calendars ``/calendar/...`` (``calendar.py``), the JSON API ``/api/v1/...`` (``api.py``), the
monitors' read-only pages ``/m/<token>`` (``monitor_page.py``) and, with a bot, the admin
dashboard ``/admin`` (``admin.py``).
Private (METRICS_HOST:METRICS_PORT, loopback by default):
``/health/ready`` runs the readiness checks (200 or 503 with a JSON body listing each),
``/metrics`` serves Prometheus text, and ``/health`` again. ``listener.py`` serves each
within limits for slow and many clients.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiohttp import web

from esvitlo.services.admin_dashboard import AdminDashboard
from esvitlo.services.monitor_pages import MonitorPages
from esvitlo.services.public_feeds import CalendarFeeds
from esvitlo.web.admin import AdminPages
from esvitlo.web.api import ApiDeps, add_api_routes
from esvitlo.web.calendar import add_calendar_routes
from esvitlo.web.health import Readiness
from esvitlo.web.heartbeat import Beat, add_heartbeat_routes
from esvitlo.web.metrics import ServiceMetrics
from esvitlo.web.monitor_page import add_monitor_page_routes
from esvitlo.web.status_pages import StatusPages
from esvitlo.web.webhook import WebhookUpdates

READINESS_KEY = web.AppKey("readiness", Readiness)
METRICS_KEY = web.AppKey("metrics", ServiceMetrics)


async def _alive(request: web.Request) -> web.Response:
    """``/health``: the process is up and serving HTTP."""
    return web.json_response({"status": "ok"})


async def _ready(request: web.Request) -> web.Response:
    """``/health/ready``: every readiness check; 503 when a critical one fails."""
    ready, body = await request.app[READINESS_KEY].report()
    return web.json_response(body, status=200 if ready else 503)


async def _metrics(request: web.Request) -> web.Response:
    """``/metrics``: the Prometheus exposition text."""
    metrics = request.app[METRICS_KEY]
    body = await metrics.render()
    return web.Response(body=body, headers={"Content-Type": metrics.content_type})


def build_public_app(
    dispatcher: Dispatcher | None = None,
    bot: Bot | None = None,
    *,
    webhook_path: str = "/webhook",
    secret_token: str | None = None,
    heartbeat: Beat | None = None,
    status_pages: StatusPages | None = None,
    calendars: CalendarFeeds | None = None,
    api: ApiDeps | None = None,
    admin: AdminDashboard | None = None,
    monitor_pages: MonitorPages | None = None,
) -> web.Application:
    """What the world may reach: ``/health``, the heartbeats and, when a bot is given, the
    webhook (which needs ``secret_token``: ValueError without one)."""
    app = web.Application()
    app.router.add_get("/health", _alive)
    if heartbeat is not None:
        add_heartbeat_routes(app, heartbeat)
    if status_pages is not None:  # the public status pages: /, /r/...
        status_pages.register(app)
    if calendars is not None:  # /calendar/{region}/{queue}.ics, /calendar/u/{secret}.ics
        add_calendar_routes(app, calendars)
    if api is not None:  # /api/v1/...
        add_api_routes(app, api)
    if monitor_pages is not None:  # /m/{token}, a monitor's read-only page
        add_monitor_page_routes(app, monitor_pages)
    if admin is not None:  # /admin, the admin dashboard
        AdminPages(admin).register(app)
    if dispatcher is not None and bot is not None:
        if secret_token is None:
            raise ValueError("the webhook is never served without a secret token")
        WebhookUpdates(dispatcher, bot, secret_token).register(app, webhook_path)
    return app


def build_private_app(
    readiness: Readiness | None = None, metrics: ServiceMetrics | None = None
) -> web.Application:
    """What only the operator may reach: ``/health``, ``/health/ready`` and ``/metrics``."""
    app = web.Application()
    app.router.add_get("/health", _alive)
    if readiness is not None:
        app[READINESS_KEY] = readiness
        app.router.add_get("/health/ready", _ready)
    if metrics is not None:
        app[METRICS_KEY] = metrics
        app.router.add_get("/metrics", _metrics)
    return app
