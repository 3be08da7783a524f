"""How the outbox sender claims, retries and stops: sizes, times and the backoff curve."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    """How the sender claims, retries and stops; times are seconds.

    ``max_in_flight`` bounds the messages a sender holds (claimed, not yet recorded): what a
    crash may send twice. ``lease``: how long a claim lasts before other senders may take it.
    """

    batch_size: int = 100
    max_in_flight: int = 100
    lease: float = 300.0
    tick: float = 0.05
    idle_poll: float = 0.5
    max_attempts: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 600.0
    stop_timeout: float = 10.0
    paid_broadcast: bool = False
    zone: str = "Europe/Kyiv"

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.max_in_flight < 1 or self.max_attempts < 1:
            raise ValueError("need batch_size, max_in_flight and max_attempts >= 1")
        if self.lease <= 0:
            raise ValueError("the lease must be positive")

    @property
    def refill_at(self) -> int:
        """The free room (in messages) at which the sender claims more."""
        return max(1, min(self.batch_size, self.max_in_flight // 2))

    def backoff(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failure in a row (1, 2, ...)."""
        return float(min(self.backoff_max, self.backoff_base * 2 ** max(0, attempts - 1)))
