"""Fault injection: scripted error answers, extra latency and dropped connections."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from .errors import ApiError


@dataclass
class Fault:
    """The next ``times`` calls of ``method`` (any method when None) fail this way."""

    method: str | None = None
    status: int = 500
    description: str | None = None
    times: int | None = 1
    retry_after: int | None = None
    drop: bool = False

    def error(self) -> ApiError:
        """The error answered instead of the real result."""
        description = self.description
        if description is None:
            if self.status == 429:
                description = f"Too Many Requests: retry after {self.retry_after or 1}"
            else:
                description = HTTPStatus(self.status).phrase if self.status in _KNOWN else "Error"
        parameters = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return ApiError(self.status, description, parameters)


_KNOWN = {status.value for status in HTTPStatus}


class Faults:
    """Pending faults and latency, consulted before every Bot API call."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._latency: dict[str | None, float] = {}

    def add(self, fault: Fault) -> None:
        """Schedules a fault; faults for the same call apply in the order they were added."""
        if fault.method is not None:
            fault.method = fault.method.lower()
        self._faults.append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault the next call of ``method`` gets, counting it as used."""
        name = method.lower()
        for fault in self._faults:
            if fault.method in (None, name):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delays every call of ``method`` (all methods when None); 0 removes the delay."""
        key = method.lower() if method else None
        if seconds > 0:
            self._latency[key] = seconds
        else:
            self._latency.pop(key, None)

    def latency(self, method: str) -> float:
        """How long a call of ``method`` waits before it is answered."""
        return self._latency.get(None, 0.0) + self._latency.get(method.lower(), 0.0)

    def clear(self) -> None:
        """Removes every fault and latency."""
        self._faults.clear()
        self._latency.clear()
