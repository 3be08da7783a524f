"""Shutdown has a deadline: a service that does not stop in time is abandoned, with an error."""

from __future__ import annotations

import asyncio

import pytest

from esvitlo.app.run import stop_within


class Service:
    def __init__(self, takes: float) -> None:
        self.takes = takes
        self.stopped = False

    async def stop(self) -> None:
        await asyncio.sleep(self.takes)
        self.stopped = True


async def test_a_prompt_stop_is_waited_for() -> None:
    service = Service(0.01)
    assert await stop_within(service, 1.0)
    assert service.stopped


async def test_a_stop_past_the_deadline_is_abandoned(caplog: pytest.LogCaptureFixture) -> None:
    service = Service(3600)
    assert not await stop_within(service, 0.05)
    assert not service.stopped
    assert "app.stop_timeout seconds=0.05" in caplog.text
