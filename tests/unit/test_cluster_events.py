"""Events between instances: a language change or a pause on one instance clears what the
others cached; a coordinator that cannot publish never fails the change itself."""

from __future__ import annotations

import pytest

from esvitlo.adapters.memory_coordinator import MemoryCoordinationHub, MemoryCoordinator
from esvitlo.services.cluster_events import ClusterEvents

from step_clock import StepClock


def cluster(size: int) -> list[ClusterEvents]:
    clock = StepClock()
    hub = MemoryCoordinationHub(clock)
    return [ClusterEvents(MemoryCoordinator(clock, f"i{n}", hub=hub)) for n in range(size)]


async def test_settings_and_pause_events_reach_every_instance() -> None:
    one, two = cluster(2)
    forgotten: list[tuple[str, int]] = []
    paused: list[str] = []
    for name, events in (("one", one), ("two", two)):
        await events.on_settings_changed(lambda user, name=name: forgotten.append((name, user)))
        await events.on_pause_changed(lambda name=name: paused.append(name))
    await one.settings_changed(42)
    await two.pause_changed()
    assert sorted(forgotten) == [("one", 42), ("two", 42)]
    assert sorted(paused) == ["one", "two"]


class BrokenCoordinator:
    async def publish(self, channel: str, payload: str) -> None:
        raise ConnectionError("redis is down")


async def test_a_failed_publish_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    events = ClusterEvents(BrokenCoordinator())  # type: ignore[arg-type]
    await events.settings_changed(1)
    assert "events.publish_failed channel=settings" in caplog.text
