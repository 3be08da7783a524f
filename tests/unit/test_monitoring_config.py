"""The alert rules and the Grafana dashboard watch metrics the service really exports, and
the figures added for them (outbox age, readiness, memory limit) are read at scrape time.

The exported names come from the metrics code itself: a ServiceMetrics with every source
filled renders its exposition in-process and the parser lists each sample's name (so a
renamed or removed family fails here, not silently on a red-less dashboard). ``up`` is the
only name allowed besides them: Prometheus adds it to every scrape target.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from prometheus_client.parser import text_string_to_metric_families

from esvitlo.app.observability import cgroup_memory_limit
from esvitlo.services.delivery import DeliveryStats
from esvitlo.services.schedule_watch import CHECK_SECONDS_BUCKETS, RegionStats
from esvitlo.web.metrics import MetricSources, ServiceMetrics

ROOT = Path(__file__).resolve().parents[2]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "esvitlo.json"
RUNBOOK = ROOT / "docs" / "runbook.md"
ADDED_BY_PROMETHEUS = {"up"}

_PROMQL_WORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"}


class _Delivery:
    stats = DeliveryStats(sent=3, rate_limited=1)
    outcomes: ClassVar = {("alert", "sent"): 3, ("alert", "dead"): 1}


async def _seven() -> int:
    return 7


async def _oldest_age() -> float | None:
    return 42.5


async def _not_ready() -> tuple[bool, dict[str, Any]]:
    checks = {"database": {"ok": True}, "schedules": {"ok": False}, "outbox": {"ok": True}}
    return False, {"status": "not_ready", "checks": checks}


def _full_metrics() -> ServiceMetrics:
    counts = tuple([1] * (len(CHECK_SECONDS_BUCKETS) + 1))
    region = RegionStats(runs=3, duration_counts=counts, last_success=datetime.now(UTC))
    return ServiceMetrics(
        MetricSources(
            regions=lambda: {"kyiv": region},
            delivery=lambda: _Delivery(),
            outbox_pending=_seven,
            probe_results=lambda: {"answered": 2, "inconclusive": 1},
            pruned_rows=lambda: {"outbox": 1},
            channel_checks=lambda: {"healthy": 1},
            parse_warnings=lambda: {("kyiv", "document"): 1},
            leader=lambda: True,
            outbox_oldest_age=_oldest_age,
            readiness=_not_ready,
            memory_limit=lambda: 1024.0,
        )
    )


async def _samples(metrics: ServiceMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = (await metrics.render()).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _exported_names() -> set[str]:
    return {name for name, _ in await _samples(_full_metrics())}


def promql_metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: selectors' names, not functions (followed
    by a parenthesis), keywords, label lists, matchers, ranges or dashboard variables."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', "", expr)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]|\$\w+", " ", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = set()
    for match in re.finditer(r"(?<![\w.])([a-zA-Z_:][\w:]*)(\s*\()?", expr):
        if match.group(2) is None and match.group(1) not in _PROMQL_WORDS:
            names.add(match.group(1))
    return names


def alert_rules() -> list[dict[str, str]]:
    """Each rule of alerts.yml as {alert, expr, summary, runbook_url}: a reader for this
    file's plain layout (``key: value``, ``expr: |`` blocks), as the project has no YAML
    dependency."""
    rules: list[dict[str, str]] = []
    lines = ALERTS.read_text().splitlines()
    for index, line in enumerate(lines):
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        if key == "alert":
            rules.append({"alert": value})
        elif rules and key in {"expr", "summary", "runbook_url"}:
            if value == "|":
                indent = len(line) - len(line.lstrip())
                block = []
                for following in lines[index + 1 :]:
                    if following.strip() and len(following) - len(following.lstrip()) <= indent:
                        break
                    block.append(following.strip())
                value = " ".join(block)
            rules[-1][key] = value.strip('"')
    return rules


def dashboard_exprs() -> Iterator[str]:
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        for target in panel["targets"]:
            yield target["expr"]


def test_the_name_reader_skips_functions_labels_and_keywords() -> None:
    expr = (
        'sum by (region) (rate(a_total{job="x",result="dead"}[5m])) / on (instance) b > 0.9'
        " and histogram_quantile(0.95, c_bucket) unless vector($budget)"
    )
    assert promql_metric_names(expr) == {"a_total", "b", "c_bucket"}


async def test_every_metric_the_alert_rules_name_is_exported() -> None:
    rules = alert_rules()
    assert len(rules) >= 9 and all("expr" in rule for rule in rules)
    named = set().union(*(promql_metric_names(rule["expr"]) for rule in rules))
    assert named - await _exported_names() - ADDED_BY_PROMETHEUS == set()
    assert {"outbox_oldest_pending_age_seconds", "ready", "leader"} <= named


async def test_every_metric_the_dashboard_names_is_exported() -> None:
    named = set().union(*(promql_metric_names(expr) for expr in dashboard_exprs()))
    assert named - await _exported_names() - ADDED_BY_PROMETHEUS == set()
    assert {"notifications_sent_total", "schedule_last_success_timestamp_seconds"} <= named


def test_every_alert_has_a_summary_and_a_runbook_section() -> None:
    runbook = RUNBOOK.read_text()
    for rule in alert_rules():
        assert rule.get("summary"), rule["alert"]
        page, _, anchor = rule["runbook_url"].partition("#")
        assert page == "docs/runbook.md" and f'<a id="{anchor}"></a>' in runbook, rule


async def test_outbox_age_readiness_and_memory_limit_are_read_at_scrape_time() -> None:
    samples = await _samples(_full_metrics())
    assert samples[("outbox_oldest_pending_age_seconds", ())] == 42.5
    assert samples[("ready", ())] == 0
    assert samples[("readiness_check_ok", (("check", "schedules"),))] == 0
    assert samples[("readiness_check_ok", (("check", "database"),))] == 1
    assert samples[("memory_limit_bytes", ())] == 1024.0

    async def nothing_due() -> float | None:
        return None

    bare = await _samples(ServiceMetrics(MetricSources(dict, outbox_oldest_age=nothing_due)))
    assert bare[("outbox_oldest_pending_age_seconds", ())] == 0  # present, so alerts see it
    assert ("ready", ()) not in bare and ("memory_limit_bytes", ()) not in bare


def test_the_memory_limit_comes_from_cgroup_v2_or_v1_and_unlimited_is_none(tmp_path) -> None:
    v2, v1, missing = tmp_path / "memory.max", tmp_path / "limit_in_bytes", tmp_path / "none"
    v2.write_text("536870912\n")
    v1.write_text("268435456\n")
    assert cgroup_memory_limit((str(v2), str(v1))) == 536870912.0
    assert cgroup_memory_limit((str(missing), str(v1))) == 268435456.0
    v2.write_text("max\n")
    assert cgroup_memory_limit((str(v2), str(v1))) is None
    v1.write_text("9223372036854771712\n")  # v1's "no limit"
    assert cgroup_memory_limit((str(missing), str(v1))) is None
    assert cgroup_memory_limit((str(missing),)) is None
