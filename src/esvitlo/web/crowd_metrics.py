"""The crowd watch's figures on /metrics, read from ``CrowdWatch.stats`` at scrape time.

Only the leader runs passes, so on the other instances every figure stays at zero; sum or
max over instances in queries. Nothing here names a queue: the figures are totals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector

from esvitlo.services.crowd_watch import CrowdWatchStats


class CrowdCollector(Collector):
    """``crowd_passes_total``, ``crowd_pass_seconds``, ``crowd_queues``,
    ``crowd_visible_queues``, ``crowd_episodes_open`` and ``crowd_alerts_total{edge}``."""

    def __init__(self, stats: Callable[[], CrowdWatchStats]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[Metric]:
        stats = self._stats()
        yield CounterMetricFamily(
            "crowd_passes", "Aggregation passes of the crowd watch", value=stats.passes
        )
        yield SummaryMetricFamily(
            "crowd_pass_seconds",
            "Time of the crowd watch's passes (count and sum)",
            count_value=stats.passes,
            sum_value=stats.pass_seconds_sum,
        )
        yield GaugeMetricFamily(
            "crowd_last_pass_seconds", "Time of the last crowd pass", value=stats.last_pass_s
        )
        yield GaugeMetricFamily(
            "crowd_queues", "Queues with monitors in the last pass", value=stats.queues
        )
        yield GaugeMetricFamily(
            "crowd_visible_queues",
            "Queues with enough users' monitors to be shown (the privacy floor)",
            value=stats.visible_queues,
        )
        yield GaugeMetricFamily(
            "crowd_episodes_open",
            "Queues whose crowd episode is not quiet (suspected, outage, recovering, planned)",
            value=stats.episodes_open,
        )
        alerts = CounterMetricFamily(
            "crowd_alerts", "Crowd alerts planned, by edge", labels=["edge"]
        )
        for edge, count in sorted(stats.alerts.items()):
            alerts.add_metric([str(edge)], count)
        yield alerts
