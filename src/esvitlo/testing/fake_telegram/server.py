"""The fake Telegram Bot API server: aiohttp routes, fault injection and the call record."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

from aiohttp import web

from .control import Controls
from .control_http import control_routes
from .errors import NOT_FOUND, UNAUTHORIZED, ApiError
from .faults import Fault, Faults
from .limits import Limits
from .methods import HANDLERS
from .params import Params, read_params
from .state import Call, User, World

DEFAULT_TOKEN = "123456789:AAFakeTelegramTokenForTests0000000000"  # noqa: S105 (a fake)


class FakeTelegram(Controls):
    """A Bot API server for one bot that real clients (aiogram) talk to over HTTP."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "esvitlo_test_bot",
        first_name: str = "eSvitlo Test",
        limits: Limits | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '123456:secret'")
        self.token = token
        self.host = host
        self.port = port
        self.faults = Faults()
        self.world = self._new_world(User(int(bot_id), first_name, True, username), limits)
        self._runner: web.AppRunner | None = None

    def _new_world(self, bot: User, limits: Limits | None) -> World:
        world = World(bot, limits)
        world.webhook.on_reply = self._webhook_reply
        return world

    @property
    def base_url(self) -> str:
        """The server's base URL, for ``TelegramAPIServer.from_base``."""
        return f"http://{self.host}:{self.port}"

    @property
    def bot_user(self) -> User:
        """The bot's own account."""
        return self.world.bot

    def make_app(self) -> web.Application:
        """The aiohttp application: Bot API, file downloads and the /_control API."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_bot)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_routes(control_routes(self))
        return app

    async def start(self) -> str:
        """Starts serving (on a free port when ``port`` is 0) and returns the base URL; after
        ``stop`` it serves the same state on the same port again."""
        self.world.updates.reopen()
        await self.world.webhook.resume()
        self._runner = web.AppRunner(self.make_app(), shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self.base_url

    async def stop(self) -> None:
        """Ends pending long polls and webhook delivery, then stops serving (state is kept)."""
        await self.world.webhook.stop()
        self.world.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def reset(self) -> None:
        """Forgets everything (people, chats, messages, files, calls, updates, webhook, faults);
        the bot and its limits stay."""
        await self.world.webhook.delete()
        self.world.updates.close()
        self.world = self._new_world(self.world.bot, self.world.limiter.limits)
        self.faults.clear()

    async def call(
        self, method: str, params: Params, fault: Fault | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Runs one Bot API method (or the given fault instead) and records it."""
        handler = HANDLERS.get(method.lower())
        result: Any = None
        try:
            if fault is not None:
                raise fault.error()
            if handler is None:
                raise NOT_FOUND
            result = await handler(self.world, params)
        except ApiError as error:
            status, body = error.status, error.body()
        else:
            status, body = 200, {"ok": True, "result": result}
        self._record(method, params, status, body.get("description"), result)
        return status, body

    def _record(
        self, method: str, params: Params, status: int, description: str | None, result: Any
    ) -> None:
        call = Call(method, params.record(), status, description, result, self.world.clock())
        self.world.calls.append(call)

    async def _handle_bot(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(UNAUTHORIZED.body(), status=401)
        try:
            params = await read_params(request)
        except ApiError as error:
            return web.json_response(error.body(), status=error.status)
        fault = self.faults.take(method)
        latency = self.faults.latency(method)
        if latency > 0:
            await asyncio.sleep(latency)
        if fault is not None and fault.drop:
            self._record(method, params, 0, "connection dropped", None)
            if request.transport is not None:
                request.transport.abort()
            return web.Response()
        status, body = await self.call(method, params, fault)
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(UNAUTHORIZED.body(), status=401)
        path = request.match_info["path"]
        stored = next((f for f in self.world.files.values() if f.path == path), None)
        if stored is None:
            return web.json_response(NOT_FOUND.body(), status=404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _webhook_reply(self, params: Params) -> None:
        """Runs a method the bot returned in its webhook answer, as Telegram does."""
        await self.call(params.text("method") or "", params)
