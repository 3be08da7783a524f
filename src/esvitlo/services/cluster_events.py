"""Events between instances about what they keep in memory: a user's settings (their
language is cached by the bot), the pause flag (cached for a few seconds) and the run-time
settings an admin changed (intervals, debounce).

Publishing never fails the caller: an event that cannot be sent is logged, and every cache
it would have cleared also expires or is re-read on its own. Receivers re-read from the
database, since events may be lost while the coordinator is unreachable.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from esvitlo.ports import CoordinationEvent, Coordinator

logger = logging.getLogger(__name__)

SETTINGS = "settings"
PAUSE = "pause"
RUNTIME = "runtime"


class ClusterEvents:
    """Publishes and receives the settings, pause and run-time settings events."""

    def __init__(self, coordinator: Coordinator) -> None:
        self._coordinator = coordinator

    async def settings_changed(self, telegram_id: int) -> None:
        """Tell every instance that a user's settings (language included) changed."""
        await self._publish(SETTINGS, str(telegram_id))

    async def pause_changed(self) -> None:
        """Tell every instance that the bot was paused or resumed."""
        await self._publish(PAUSE, "")

    async def runtime_changed(self) -> None:
        """Tell every instance that an admin changed a run-time setting."""
        await self._publish(RUNTIME, "")

    async def on_settings_changed(self, forget: Callable[[int], None]) -> None:
        """Call ``forget(telegram_id)`` for every settings event, this instance's included."""

        async def handle(event: CoordinationEvent) -> None:
            if event.payload.isdigit():
                forget(int(event.payload))

        await self._coordinator.subscribe(SETTINGS, handle)

    async def on_pause_changed(self, invalidate: Callable[[], None]) -> None:
        """Call ``invalidate()`` for every pause event."""

        async def handle(event: CoordinationEvent) -> None:
            invalidate()

        await self._coordinator.subscribe(PAUSE, handle)

    async def on_runtime_changed(self, reload: Callable[[], Awaitable[object]]) -> None:
        """Await ``reload()`` for every run-time settings event."""

        async def handle(event: CoordinationEvent) -> None:
            await reload()

        await self._coordinator.subscribe(RUNTIME, handle)

    async def _publish(self, channel: str, payload: str) -> None:
        try:
            await self._coordinator.publish(channel, payload)
        except Exception as exc:  # the caches expire or re-read on their own
            logger.warning("events.publish_failed channel=%s error=%r", channel, exc)
