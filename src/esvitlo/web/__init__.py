"""The HTTP side of an instance: the Telegram webhook and a liveness probe.

The webhook answers Telegram at once and handles the update in the background; a request
without the configured secret token is refused with 401 and never reaches the bot.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web


async def _alive(request: web.Request) -> web.Response:
    """``/health``: the process is up and serving HTTP."""
    return web.json_response({"status": "ok"})


def build_web_app(
    dispatcher: Dispatcher | None = None,
    bot: Bot | None = None,
    *,
    webhook_path: str = "/webhook",
    secret_token: str | None = None,
) -> web.Application:
    """The instance's aiohttp application; the webhook route only when a bot is given."""
    app = web.Application()
    app.router.add_get("/health", _alive)
    if dispatcher is not None and bot is not None:
        handler = SimpleRequestHandler(
            dispatcher=dispatcher, bot=bot, secret_token=secret_token, handle_in_background=True
        )
        handler.register(app, path=webhook_path)
    return app
