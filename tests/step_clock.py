"""A settable aware-UTC clock (ports.Clock) whose sleeps move its time at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

START = datetime(2025, 11, 9, 8, 30, tzinfo=UTC)


class StepClock:
    """Reads ``current``; ``sleep`` and ``advance`` move it forward without waiting."""

    def __init__(self, now: datetime = START) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)
