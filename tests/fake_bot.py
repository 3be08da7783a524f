"""Fixtures for tests against the fake Telegram: the server and real aiogram Bots pointed at it.

Test modules load them with ``pytest_plugins = ("fake_bot",)``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from esvitlo.testing.fake_telegram import FakeTelegram, Limits


class QuickSession(AiohttpSession):
    """aiogram's aiohttp session without the 250 ms pause it takes when closing."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A started fake Telegram on a free port, flood limits off (limit tests make their own)."""
    async with FakeTelegram(limits=Limits(enabled=False)) as server:
        yield server


@pytest.fixture
async def make_bot() -> AsyncIterator[Callable[..., Bot]]:
    """Makes real aiogram Bots for a fake (``make_bot(fake, token=...)``); closes them after."""
    made: list[Bot] = []

    def build(server: FakeTelegram, token: str | None = None, **kwargs: Any) -> Bot:
        session = QuickSession(api=TelegramAPIServer.from_base(server.base_url))
        made.append(Bot(token or server.token, session=session, **kwargs))
        return made[-1]

    yield build
    for bot in made:
        await bot.session.close()


@pytest.fixture
def bot(fake: FakeTelegram, make_bot: Callable[..., Bot]) -> Bot:
    """An aiogram Bot talking to ``fake``."""
    return make_bot(fake)
