"""The time source services read instead of the system clock."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Time source; tests drive it by hand."""

    def now(self) -> datetime:
        """The current aware UTC time."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait; a fake clock may return at once."""
        ...
