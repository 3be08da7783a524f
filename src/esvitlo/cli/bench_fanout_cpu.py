"""CPU figures of ``bench fanout``: the sender's process CPU per 1,000 messages against a bare
aiohttp client's for the same request, and the CPU burner of ``--load``.

Process CPU (``time.process_time``: every thread of the process, never wall time) compares
across machines better than a rate: a slower or busier machine stretches both figures alike,
so their ratio is the pipeline's own overhead. The bare client posts exactly the form the
sender posts for an alert (a ``sendPhoto`` by file_id with the caption, parse mode and inline
keyboard, serialised once by aiogram itself), to the same fake, from the same number of
concurrent tasks as the sender holds messages in flight, and only parses the JSON answer:
what any client must do, with nothing of aiogram's models, the outbox or the budget.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.methods import SendPhoto

from esvitlo.adapters.telegram_sender import inline_keyboard
from esvitlo.cli.errors import CliError
from esvitlo.domain.alert_messages import AlertMessage
from esvitlo.services.schedule_photos import SchedulePhotos

BURN = "while True: pass"
"""The ``--load`` burner: one core kept busy by a tight pure-Python loop."""


@asynccontextmanager
async def cpu_burner(enabled: bool) -> AsyncIterator[None]:
    """Keep one core busy in a child process while inside (nothing when not ``enabled``); the
    child is killed on the way out, also on errors and cancellation."""
    if not enabled:
        yield
        return
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", BURN)
    try:
        yield
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


def per_1000(cpu_s: float, count: int) -> float | None:
    """CPU seconds per 1,000 messages or requests (None for none)."""
    return round(cpu_s / count * 1000, 4) if count > 0 else None


def overhead(cpu_per_1000_s: float | None, bare_cpu_per_1000_s: float | None) -> float | None:
    """The sender's CPU per message as a multiple of the bare client's."""
    if cpu_per_1000_s is None or not bare_cpu_per_1000_s:
        return None
    return round(cpu_per_1000_s / bare_cpu_per_1000_s, 3)


def alert_form(bot: Bot, payload: Mapping[str, Any], photos: SchedulePhotos) -> dict[str, str]:
    """The form fields the sender posts for the alert in ``payload`` once its picture is
    uploaded (its file_id in ``photos``), serialised by aiogram as for every request;
    ``chat_id`` is set per request."""
    message = AlertMessage.from_payload(payload)
    file_id = photos.file_id(message.picture.key) if message.picture is not None else None
    if file_id is None:
        raise CliError("the alert's picture was never uploaded")
    method = SendPhoto(
        chat_id=0,
        photo=file_id,
        caption=message.text,
        parse_mode="HTML",
        reply_markup=inline_keyboard(message.keyboard),
    )
    fields: dict[str, str] = {}
    for key, value in method.model_dump(warnings=False).items():
        prepared = bot.session.prepare_value(value, bot=bot, files={})
        if prepared:
            fields[key] = str(prepared)
    return fields


@dataclass(frozen=True, slots=True)
class BareRun:
    """What the bare client did: requests answered ``ok``, the others, CPU and wall time."""

    ok: int
    failed: int
    cpu_s: float
    seconds: float


async def bare_client_run(
    url: str, form: Mapping[str, str], chats: range, concurrency: int
) -> BareRun:
    """Post ``form`` to ``url`` once for every chat in ``chats`` from ``concurrency`` tasks,
    each reading and parsing its answer; the process CPU it took."""
    answers = {"ok": 0, "failed": 0}
    pending: Iterator[int] = iter(chats)

    async def worker(http: aiohttp.ClientSession) -> None:
        for chat in pending:  # shared: each task takes the next chat
            data = aiohttp.FormData(quote_fields=False)
            for key, value in form.items():
                data.add_field(key, str(chat) if key == "chat_id" else value)
            async with http.post(url, data=data) as response:
                answer = json.loads(await response.text())
            answers["ok" if answer.get("ok") else "failed"] += 1

    async with aiohttp.ClientSession() as http:
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return BareRun(answers["ok"], answers["failed"], cpu, wall)
