"""Webhook delivery: POSTs queued updates to the bot's URL, in order, retrying on failure."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from .params import Params, read_multipart
from .updates import Update, UpdateQueue

ReplyHandler = Callable[[Params], Awaitable[None]]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


@dataclass(frozen=True)
class WebhookConfig:
    """What setWebhook stored."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the webhook and how the receiver answered."""

    update_id: int
    status: int | None
    error: str | None


class WebhookPusher:
    """Pushes updates one at a time; a non-2xx answer or a network error is retried later."""

    def __init__(
        self,
        queue: UpdateQueue,
        *,
        retry_delay: float = 0.05,
        max_retry_delay: float = 1.0,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.queue = queue
        self.retry_delay = retry_delay
        self.max_retry_delay = max_retry_delay
        self.timeout = timeout
        self.clock = clock
        self.config: WebhookConfig | None = None
        self.on_reply: ReplyHandler | None = None
        self.deliveries: list[Delivery] = []
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Whether a webhook is set (getUpdates is refused then)."""
        return self.config is not None

    async def set(self, config: WebhookConfig) -> None:
        """Starts pushing to a new webhook, replacing the old one."""
        await self.stop()
        self.config = config
        self.last_error_date = self.last_error_message = None
        self._task = asyncio.create_task(self._run(config), name="fake-telegram-webhook")

    async def resume(self) -> None:
        """Starts pushing again to the webhook that is set (after ``stop``), if any."""
        if self.config is not None and self._task is None:
            self._task = asyncio.create_task(self._run(self.config), name="fake-telegram-webhook")

    async def delete(self) -> None:
        """Stops pushing and forgets the webhook."""
        await self.stop()
        self.config = None

    async def stop(self) -> None:
        """Cancels the delivery task, if any."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def info(self) -> dict[str, Any]:
        """The ``WebhookInfo`` object."""
        config = self.config
        info: dict[str, Any] = {
            "url": config.url if config else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending()),
        }
        if config is not None:
            info["max_connections"] = config.max_connections
            info["ip_address"] = "127.0.0.1"
            if config.allowed_updates:
                info["allowed_updates"] = config.allowed_updates
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _run(self, config: WebhookConfig) -> None:
        delay = self.retry_delay
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                if not await self.queue.wait_for_updates(seconds=1.0):
                    continue
                update = self.queue.pending()[0]
                if await self._deliver(session, config, update):
                    self.queue.confirm(update.update_id + 1)
                    delay = self.retry_delay
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, self.max_retry_delay)

    async def _deliver(
        self, session: aiohttp.ClientSession, config: WebhookConfig, update: Update
    ) -> bool:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        try:
            async with session.post(config.url, json=update.to_json(), headers=headers) as resp:
                if not 200 <= resp.status < 300:
                    self._failed(
                        update,
                        resp.status,
                        f"Wrong response from the webhook: {resp.status} {resp.reason}",
                    )
                    return False
                reply = await _read_reply(resp)
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._failed(update, None, f"Connection failed: {type(exc).__name__}")
            return False
        self.deliveries.append(Delivery(update.update_id, resp.status, None))
        if reply is not None and self.on_reply is not None:
            await self.on_reply(reply)
        return True

    def _failed(self, update: Update, status: int | None, message: str) -> None:
        self.deliveries.append(Delivery(update.update_id, status, message))
        self.last_error_date = int(self.clock())
        self.last_error_message = message


async def _read_reply(resp: aiohttp.ClientResponse) -> Params | None:
    """A Bot API call the receiver put into its answer (JSON or multipart), if any."""
    if resp.content_type == "multipart/form-data":
        params = await read_multipart(aiohttp.MultipartReader(resp.headers, resp.content))
    elif resp.content_type == "application/json":
        try:
            body = await resp.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        params = Params(body)
    else:
        return None
    return params if params.text("method") else None
