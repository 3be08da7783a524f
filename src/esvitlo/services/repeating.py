"""A step run over and over in a background task, an interval apart from start to start.

A step that raises is logged and the loop goes on (the next step comes an interval after the
failed one began); ``stop`` cancels the step in progress, so what a step saves must be saved
in one go. The interval is read before every wait, so it may change while the loop runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from esvitlo.ports import Clock

logger = logging.getLogger(__name__)


class Repeating:
    """Runs ``step`` every ``interval()`` seconds on ``clock`` between ``start`` and ``stop``;
    a failure is logged as ``failure_event``."""

    def __init__(
        self,
        step: Callable[[], Awaitable[object]],
        clock: Clock,
        interval: Callable[[], float],
        *,
        name: str,
        failure_event: str,
    ) -> None:
        self._step = step
        self._clock = clock
        self._interval = interval
        self._name = name
        self._failure_event = failure_event
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Start the loop in the background (nothing when it runs already)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        """Stop, cancelling the step in progress."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            started = self._clock.now()
            try:
                await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception(self._failure_event)
            rest = self._interval() - (self._clock.now() - started).total_seconds()
            await self._clock.sleep(max(rest, 0.0))
