"""The crowd watch's figures on /metrics: passes, their time, open episodes and alerts by
edge, read from the watch's stats at scrape time."""

from __future__ import annotations

from datetime import datetime

from prometheus_client.parser import text_string_to_metric_families
from test_crowd_watch import KYIV, FakeCrowd, PowerOnSchedule

from esvitlo.domain.crowd import CrowdCount
from esvitlo.domain.power import Power
from esvitlo.services.crowd_watch import CrowdWatch
from esvitlo.web.crowd_metrics import CrowdCollector
from esvitlo.web.metrics import MetricSources, ServiceMetrics

from step_clock import START, StepClock


class SlowCrowd(FakeCrowd):
    """Each aggregation takes a quarter of a second of the step clock."""

    async def counts(self, fresh_since: datetime) -> list[CrowdCount]:
        self.clock.advance(seconds=0.25)
        return await super().counts(fresh_since)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_crowd_figures_are_exported_at_scrape_time():
    clock = StepClock(START)
    store = SlowCrowd(clock)
    watch = CrowdWatch(store, PowerOnSchedule(), [KYIV], clock)  # type: ignore[arg-type]
    metrics = ServiceMetrics(MetricSources(regions=dict))
    metrics.register(CrowdCollector(lambda: watch.stats))
    before = samples((await metrics.render()).decode())
    assert before[("crowd_passes_total", ())] == 0
    assert before[("crowd_episodes_open", ())] == 0
    for user in range(20):
        store.set(user, Power.OFF)
    for _ in range(6):  # suspected, then told after the two-minute confirmation
        await watch.run_once()
        clock.advance(seconds=30)
    found = samples((await metrics.render()).decode())
    assert found[("crowd_passes_total", ())] == 6
    assert found[("crowd_pass_seconds_count", ())] == 6
    assert found[("crowd_pass_seconds_sum", ())] == 1.5
    assert found[("crowd_last_pass_seconds", ())] == 0.25
    assert found[("crowd_queues", ())] == 1 and found[("crowd_visible_queues", ())] == 1
    assert found[("crowd_episodes_open", ())] == 1
    assert found[("crowd_alerts_total", (("edge", "outage"),))] == 1
