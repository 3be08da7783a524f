"""``esvitlo run``: the service until SIGINT or SIGTERM; without a bot token, its web side
(schedule watch, calendars, API, pages) with a word on how to add one."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from contextlib import suppress
from typing import Protocol

from esvitlo.adapters import logs
from esvitlo.app.assembly import configure_logging, secrets_of
from esvitlo.app.process_limits import raise_open_files_limit
from esvitlo.app.service import Service
from esvitlo.settings import Settings

logger = logging.getLogger("esvitlo")

HOW_TO_GET_A_BOT = """\
BOT_TOKEN is not set: the service runs without its Telegram side. The schedule watch, the
calendars (/calendar/...), the JSON API (/api/v1/...) and the web pages work; alerts need a bot.

To get a token: open Telegram, talk to @BotFather, send /newbot, choose a name and a
username; BotFather replies with a token like 123456789:AAE...  Then run:

    BOT_TOKEN=123456789:AAE... make run

(or put BOT_TOKEN=... into a .env file here). To see the bot without a token and without
internet, run the demo instead:

    .venv/bin/esvitlo demo
"""


async def run_service(settings: Settings) -> int:
    """Run until SIGINT or SIGTERM; without a bot token, without the Telegram side (and say
    how to get one).

    The open-file limit is raised first, and asyncio's accept() failures are logged once a
    minute rather than on every try."""
    from esvitlo.web.listener import quiet_accept_errors

    configure_logging(
        settings.log_level,
        fmt=settings.log_format,
        secrets=secrets_of(settings),
        log_sql=settings.log_sql,
    )
    logs.bind_log_context(instance=settings.instance_id)
    if settings.bot_token is None:
        print(HOW_TO_GET_A_BOT, file=sys.stderr)
        logger.warning(
            "app.no_bot_token alerts=off web=%s hint=%s",
            settings.public_base_url(),
            "set BOT_TOKEN (from @BotFather) to get alerts in Telegram",
        )
    raise_open_files_limit()
    service = Service(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    quiet_accept_errors(loop)
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await service.start()
    try:
        await stop.wait()
    finally:
        stopped = await stop_within(service, settings.shutdown_timeout)
    return 0 if stopped else 1


class Stoppable(Protocol):
    async def stop(self) -> None: ...


async def stop_within(service: Stoppable, seconds: float) -> bool:
    """Stop ``service`` within ``seconds``; False (and an error logged) when it took longer
    and the rest was abandoned: the process must exit before its supervisor kills it."""
    try:
        async with asyncio.timeout(seconds):
            await service.stop()
    except TimeoutError:
        logger.error("app.stop_timeout seconds=%s", seconds)
        return False
    return True
