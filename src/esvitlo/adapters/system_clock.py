"""The real clock: aware UTC time and asyncio sleeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime


class SystemClock:
    """Reads the system time in UTC and sleeps on the event loop."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the running event loop (no wait for zero or less)."""
        await asyncio.sleep(max(0.0, seconds))
