"""Events between instances about what they keep in memory: a user's settings (their
language is cached by the bot) and the pause flag (cached for a few seconds).

Publishing never fails the caller: an event that cannot be sent is logged, and every cache
it would have cleared also expires or is re-read on its own. Receivers re-read from the
database, since events may be lost while the coordinator is unreachable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from esvitlo.ports import CoordinationEvent, Coordinator

logger = logging.getLogger(__name__)

SETTINGS = "settings"
PAUSE = "pause"


class ClusterEvents:
    """Publishes and receives the settings and pause events over the coordinator."""

    def __init__(self, coordinator: Coordinator) -> None:
        self._coordinator = coordinator

    async def settings_changed(self, telegram_id: int) -> None:
        """Tell every instance that a user's settings (language included) changed."""
        await self._publish(SETTINGS, str(telegram_id))

    async def pause_changed(self) -> None:
        """Tell every instance that the bot was paused or resumed."""
        await self._publish(PAUSE, "")

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

    async def _publish(self, channel: str, payload: str) -> None:
        try:
            await self._coordinator.publish(channel, payload)
        except Exception as exc:  # the caches expire or re-read on their own
            logger.warning("events.publish_failed channel=%s error=%r", channel, exc)
