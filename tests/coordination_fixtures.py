"""Fixtures of the coordination tests: ``clock`` (a manual clock at 0 s) and ``hub`` (an
in-memory backend on it). Load with ``pytest_plugins = ("coordination_fixtures",)``."""

from __future__ import annotations

import pytest

from coordination_rig import ManualClock
from esvitlo.adapters.memory_coordinator import MemoryCoordinationHub


@pytest.fixture
def clock() -> ManualClock:
    """A manual clock at 0 s."""
    return ManualClock()


@pytest.fixture
def hub(clock: ManualClock) -> MemoryCoordinationHub:
    """An in-memory coordination backend on that clock."""
    return MemoryCoordinationHub(clock)
