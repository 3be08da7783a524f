"""Prometheus metrics read from the services' own counters at scrape time.

The services count in plain typed stats (ScheduleWatch.stats, OutboxSender.stats and
outcomes) and never import prometheus_client; a collector here turns those figures into
metric families on each scrape. Figures that need a query (``outbox_pending``) are read once
per scrape by ``ServiceMetrics.render`` before the text is generated: the outbox's depth and
oldest wait, and the readiness checks (so an alert sees what ``/health/ready`` would answer).
Parts built elsewhere plug in as providers: probe results (power monitor) and leadership
(coordinator); without a coordinator the instance is the leader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from esvitlo.services.delivery import DeliveryStats
from esvitlo.services.schedule_watch import CHECK_SECONDS_BUCKETS, RegionStats


class DeliveryFigures(Protocol):
    """What the metrics read from an outbox sender (OutboxSender fits)."""

    @property
    def stats(self) -> DeliveryStats: ...

    @property
    def outcomes(self) -> Mapping[tuple[str, str], int]: ...


def _leader() -> bool:
    return True


def _no_delivery() -> DeliveryFigures | None:
    return None


@dataclass(frozen=True, slots=True)
class MetricSources:
    """Where each figure comes from; every callable is read at scrape time.

    ``delivery`` returns the running sender or None (no bot token); ``probe_results`` the
    probe counts per result; ``leader`` whether this instance leads.
    """

    regions: Callable[[], Mapping[str, RegionStats]]
    delivery: Callable[[], DeliveryFigures | None] = _no_delivery
    outbox_pending: Callable[[], Awaitable[int]] | None = None
    probe_results: Callable[[], Mapping[str, int]] | None = None
    pruned_rows: Callable[[], Mapping[str, int]] | None = None
    channel_checks: Callable[[], Mapping[str, int]] | None = None
    parse_warnings: Callable[[], Mapping[tuple[str, str], int]] | None = None
    leader: Callable[[], bool] = _leader
    outbox_oldest_age: Callable[[], Awaitable[float | None]] | None = None
    readiness: Callable[[], Awaitable[tuple[bool, Mapping[str, Any]]]] | None = None
    memory_limit: Callable[[], float | None] | None = None


def _histogram_buckets(stats: RegionStats) -> list[tuple[str, float]]:
    buckets: list[tuple[str, float]] = []
    running = 0
    for bound, count in zip(CHECK_SECONDS_BUCKETS, stats.duration_counts, strict=False):
        running += count
        buckets.append((str(float(bound)), running))
    buckets.append(("+Inf", sum(stats.duration_counts)))
    return buckets


def _counter(
    name: str, doc: str, values: Callable[[], Mapping[str, int]] | None, label: str = "result"
) -> CounterMetricFamily:
    """A counter family with one sample per key of ``values()`` (none without a source)."""
    family = CounterMetricFamily(name, doc, labels=[label])
    for key, count in sorted((values or dict)().items()):
        family.add_metric([key], count)
    return family


class ServiceCollector(Collector):
    """The service's metric families, built from its sources on every ``collect``."""

    def __init__(self, sources: MetricSources) -> None:
        self._sources = sources
        self._pending: int | None = None
        self._oldest_age: float | None = None
        self._readiness: tuple[bool, Mapping[str, Any]] | None = None

    async def refresh(self) -> None:
        """Read the figures that need a query (call before each scrape)."""
        sources = self._sources
        if sources.outbox_pending is not None:
            self._pending = await sources.outbox_pending()
        if sources.outbox_oldest_age is not None:
            # nothing waiting reads as 0 s, so the series stays present for alerts
            self._oldest_age = await sources.outbox_oldest_age() or 0.0
        if sources.readiness is not None:
            self._readiness = await sources.readiness()

    def collect(self) -> Iterator[Metric]:
        """Every family, from the figures as they are now."""
        yield from self._schedule_families(self._sources.regions())
        yield from self._delivery_families(self._sources.delivery())
        pending = GaugeMetricFamily("outbox_pending", "Messages waiting in the outbox")
        if self._pending is not None:
            pending.add_metric([], self._pending)
        yield pending
        oldest = GaugeMetricFamily(
            "outbox_oldest_pending_age_seconds", "How long the oldest due message has waited"
        )
        if self._oldest_age is not None:
            oldest.add_metric([], self._oldest_age)
        yield oldest
        yield from self._readiness_families()
        sources = self._sources
        limit = GaugeMetricFamily(
            "memory_limit_bytes", "The memory limit of the instance's cgroup (absent: none)"
        )
        if sources.memory_limit is not None and (value := sources.memory_limit()) is not None:
            limit.add_metric([], value)
        yield limit
        yield _counter("probe_results", "Power monitor probes by result", sources.probe_results)
        yield _counter(
            "housekeeping_pruned_rows", "Rows deleted by retention", sources.pruned_rows, "table"
        )
        yield _counter("channel_checks", "Channel health checks", sources.channel_checks)
        warnings = CounterMetricFamily(
            "schedule_parse_warnings",
            "Warnings of parsed schedule documents per region and kind (hour_value, slot_type:"
            " a value the parser did not know; document: the rest)",
            labels=["region", "kind"],
        )
        for labels, count in sorted((sources.parse_warnings or dict)().items()):
            warnings.add_metric(list(labels), count)
        yield warnings
        yield GaugeMetricFamily(
            "leader", "1 when this instance is the leader", value=int(self._sources.leader())
        )

    def _readiness_families(self) -> Iterator[Metric]:
        ready = GaugeMetricFamily("ready", "1 when /health/ready would answer 200")
        checks = GaugeMetricFamily(
            "readiness_check_ok", "1 when a readiness check passes", labels=["check"]
        )
        if self._readiness is not None:
            is_ready, body = self._readiness
            ready.add_metric([], int(is_ready))
            for name, result in sorted(body.get("checks", {}).items()):
                checks.add_metric([name], int(bool(result.get("ok"))))
        yield from (ready, checks)

    def _schedule_families(self, regions: Mapping[str, RegionStats]) -> Iterator[Metric]:
        checks = CounterMetricFamily(
            "schedule_checks",
            "Schedule checks per region by result (ok; stale: every source failed; error)",
            labels=["region", "result"],
        )
        durations = HistogramMetricFamily(
            "fetch_duration_seconds",
            "Time of a region's schedule check, fetch included",
            labels=["region"],
        )
        last_success = GaugeMetricFamily(
            "schedule_last_success_timestamp_seconds",
            "When a region's check last got a document (Unix time)",
            labels=["region"],
        )
        for region, stats in sorted(regions.items()):
            checks.add_metric([region, "ok"], stats.runs - stats.failures)
            checks.add_metric([region, "stale"], stats.failures - stats.errors)
            checks.add_metric([region, "error"], stats.errors)
            durations.add_metric(
                [region], _histogram_buckets(stats), sum_value=stats.duration_sum_s
            )
            if stats.last_success is not None:
                last_success.add_metric([region], stats.last_success.timestamp())
        yield from (checks, durations, last_success)

    def _delivery_families(self, delivery: DeliveryFigures | None) -> Iterator[Metric]:
        sent = CounterMetricFamily(
            "notifications_sent",
            "What became of outbox messages, per kind (sent, retried, rate_limited, dead, ...)",
            labels=["kind", "result"],
        )
        for (kind, result), count in sorted((delivery.outcomes if delivery else {}).items()):
            sent.add_metric([kind, result], count)
        yield sent
        yield CounterMetricFamily(
            "telegram_429",
            "Sends Telegram answered with 429 Too Many Requests",
            value=delivery.stats.rate_limited if delivery else 0,
        )


class ServiceMetrics:
    """The registry served at /metrics; ``register`` adds another part's collector."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, sources: MetricSources) -> None:
        self.registry = CollectorRegistry()
        self._collector = ServiceCollector(sources)
        self.registry.register(self._collector)
        ProcessCollector(registry=self.registry)  # CPU, memory, open files (Linux)
        PlatformCollector(registry=self.registry)

    def register(self, collector: Collector) -> None:
        """Serve ``collector``'s families too."""
        self.registry.register(collector)

    async def render(self) -> bytes:
        """The exposition text of every registered collector, with fresh queried figures."""
        await self._collector.refresh()
        return generate_latest(self.registry)
