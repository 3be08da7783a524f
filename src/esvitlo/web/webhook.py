"""The Telegram webhook: the secret token checked, the update parsed, answered at once and
handled in the background.

A request without the secret gets 401 and never reaches the bot; a body that is not an
update (bad JSON, an array, a wrong shape) gets 400 and one warning line. There is no way
to serve the webhook without a secret: anyone could post updates "from" any user.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

logger = logging.getLogger("esvitlo")

# what Telegram accepts as a secret_token (Settings checks the same at start)
SECRET_TOKEN_FORM = re.compile(r"[A-Za-z0-9_-]{1,256}")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
SHUTDOWN_GRACE = 5.0  # seconds updates still being handled get when the app stops


class WebhookUpdates:
    """The webhook's request handler; ``register`` adds its route to an app."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret_token: str) -> None:
        if not SECRET_TOKEN_FORM.fullmatch(secret_token or ""):
            raise ValueError("the webhook needs a secret token of 1-256 [A-Za-z0-9_-]")
        self._dispatcher = dispatcher
        self._bot = bot
        self._secret = secret_token
        self._handling: set[asyncio.Task[None]] = set()

    def register(self, app: web.Application, path: str) -> None:
        """Serve updates on POST ``path``; on shutdown, let running ones finish briefly."""
        app.router.add_post(path, self.handle)
        app.on_shutdown.append(self._finish)

    async def handle(self, request: web.Request) -> web.Response:
        """401 without the secret, 400 for a body that is not an update, else 200 at once."""
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), self._secret.encode()):
            return web.Response(text="Unauthorized", status=401)
        body = await request.read()
        try:
            update = self._parse(body)
        except ValueError as exc:
            logger.warning("webhook.bad_update bytes=%d reason=%s", len(body), exc)
            return web.Response(text="not a Telegram update\n", status=400)
        task = asyncio.create_task(self._feed(update), name=f"webhook-{update.update_id}")
        self._handling.add(task)
        task.add_done_callback(self._handling.discard)
        return web.json_response({})

    def _parse(self, body: bytes) -> Update:
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ValueError(f"invalid JSON ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise ValueError(f"a JSON {type(data).__name__}, not an object")
        try:
            return Update.model_validate(data, context={"bot": self._bot})
        except ValidationError as exc:
            fields = sorted({".".join(map(str, e["loc"])) or "update" for e in exc.errors()})
            raise ValueError(f"not an update (fields: {', '.join(fields[:5])})") from None

    async def _feed(self, update: Update) -> None:
        try:
            result: Any = await self._dispatcher.feed_update(self._bot, update)
            if isinstance(result, TelegramMethod):
                await self._dispatcher.silent_call_request(bot=self._bot, result=result)
        except Exception:  # the bot's own error handler saw handler errors; this is the rest
            logger.exception("webhook.update_failed update=%s", update.update_id)

    async def _finish(self, _app: web.Application) -> None:
        if self._handling:
            await asyncio.wait(set(self._handling), timeout=SHUTDOWN_GRACE)
