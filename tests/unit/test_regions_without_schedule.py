"""A region without sources is listed but never polled: the watch makes no fetcher for it,
counts no checks for it (so /health/ready and /metrics never call it failing), and the
reminder planner plans nothing for its addresses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from esvitlo.adapters.memory_store import MemoryScheduleStore
from esvitlo.domain.catalogue import NO_QUEUE, Region, Source
from esvitlo.domain.documents import SourceKind
from esvitlo.domain.reminder_alerts import QueueReminders
from esvitlo.ports import RegionCheck, ReminderOutcome
from esvitlo.services.region_fetcher import RegionFetcher
from esvitlo.services.reminders import ReminderPlanner
from esvitlo.services.schedule_watch import ScheduleWatch
from esvitlo.web.health import schedule_check
from esvitlo.web.metrics import MetricSources, ServiceMetrics

from schedule_server import FakeClock

NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
KYIV = Region(
    "kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "http://127.0.0.1:9/k.json"),)
)
SUMY = Region("sumy", "Сумська область", "Sumy region", "Europe/Kyiv", ())


class NoSource:
    """A schedule source that must never be asked."""

    async def fetch(self, url: str, etag: str | None = None) -> object:
        raise AssertionError(f"fetched {url}")


class Sink:
    async def region_checked(self, result: RegionCheck) -> None:
        raise AssertionError("no check expected")


def _watch(made: list[str]) -> ScheduleWatch:
    clock = FakeClock(NOW)

    def fetcher(region: Region) -> RegionFetcher:
        made.append(region.id)
        return RegionFetcher(region, NoSource(), clock)  # type: ignore[arg-type]

    return ScheduleWatch([KYIV, SUMY], fetcher, MemoryScheduleStore(), Sink(), clock)


def test_a_region_without_sources_cannot_have_a_fetcher() -> None:
    with pytest.raises(ValueError, match="has no sources"):
        RegionFetcher(SUMY, NoSource(), FakeClock(NOW))  # type: ignore[arg-type]


async def test_the_watch_leaves_a_region_without_sources_alone() -> None:
    made: list[str] = []
    watch = _watch(made)
    assert made == ["kyiv"]
    assert set(watch.stats) == {"kyiv"}
    with pytest.raises(KeyError):
        await watch.check_region("sumy")


async def test_health_and_metrics_never_name_a_region_without_sources() -> None:
    watch = _watch([])
    check = schedule_check(watch, FakeClock(NOW), max_age=timedelta(days=1), since=NOW)
    result = await check()
    assert set(result.detail["regions"]) == {"kyiv"}
    text = (await ServiceMetrics(MetricSources(regions=lambda: watch.stats)).render()).decode()
    assert 'region="kyiv"' in text and "sumy" not in text


class Reminders:
    """A reminder store in which the only followed queue is a Sumy address's."""

    def __init__(self) -> None:
        self.applied: list[QueueReminders] = []

    async def reminder_queues(self) -> Mapping[str, Sequence[str]]:
        return {"sumy": [NO_QUEUE]}

    async def apply_reminders(self, plans: Sequence[QueueReminders]) -> ReminderOutcome:
        self.applied.extend(plans)
        return ReminderOutcome()


async def test_reminders_plan_nothing_for_an_address_without_a_schedule() -> None:
    store = Reminders()
    clock = FakeClock(NOW)
    planner = ReminderPlanner([KYIV, SUMY], MemoryScheduleStore(), store, clock)  # type: ignore[arg-type]
    outcome = await planner.run_once()
    assert outcome.queued == 0 and planner.stats.failures == 0
    assert all(not plan.standing for plan in store.applied)
