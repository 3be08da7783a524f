"""The HTTP side of an instance: the Telegram webhook, liveness, readiness and metrics.

The webhook answers Telegram at once and handles the update in the background; a request
without the configured secret token is refused with 401 and never reaches the bot.
``/health/ready`` runs the readiness checks (200 or 503 with a JSON body listing each);
``/metrics`` serves Prometheus text.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from esvitlo.web.health import Readiness
from esvitlo.web.heartbeat import Beat, add_heartbeat_routes
from esvitlo.web.metrics import ServiceMetrics

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


def build_web_app(
    dispatcher: Dispatcher | None = None,
    bot: Bot | None = None,
    *,
    webhook_path: str = "/webhook",
    secret_token: str | None = None,
    readiness: Readiness | None = None,
    metrics: ServiceMetrics | None = None,
    heartbeat: Beat | None = None,
) -> web.Application:
    """The instance's aiohttp application; the webhook, readiness and metrics routes only
    when a bot, checks or metrics are given."""
    app = web.Application()
    app.router.add_get("/health", _alive)
    if readiness is not None:
        app[READINESS_KEY] = readiness
        app.router.add_get("/health/ready", _ready)
    if metrics is not None:
        app[METRICS_KEY] = metrics
        app.router.add_get("/metrics", _metrics)
    if heartbeat is not None:
        add_heartbeat_routes(app, heartbeat)
    if dispatcher is not None and bot is not None:
        handler = SimpleRequestHandler(
            dispatcher=dispatcher, bot=bot, secret_token=secret_token, handle_in_background=True
        )
        handler.register(app, path=webhook_path)
    return app
