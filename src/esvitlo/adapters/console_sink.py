"""A ChangeSink that prints what the schedule watch sees, one line per event."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO

from esvitlo.domain.freshness import FreshnessPolicy, assess
from esvitlo.ports import Clock, RegionCheck


class ConsoleSink:
    """Prints a region summary per check and a line per alert-worthy change."""

    def __init__(self, clock: Clock, policy: FreshnessPolicy, out: TextIO | None = None) -> None:
        self._clock = clock
        self._policy = policy
        self._out = out or sys.stdout

    async def region_checked(self, result: RegionCheck) -> None:
        """Print the region's status, decision counts and each change with its diff."""
        snapshot = result.snapshot
        status = assess(snapshot, self._clock.now(), self._policy, fetch_failed=result.fetch_failed)
        counts = Counter(check.decision.value for check in result.checks.values())
        decisions = " ".join(f"{name}={n}" for name, n in sorted(counts.items())) or "no queues"
        updated = snapshot.data_updated_at.isoformat() if snapshot.data_updated_at else "unknown"
        print(
            f"{result.region}: {status.value}, {len(snapshot.queues)} queues, "
            f"updated {updated}: {decisions}",
            file=self._out,
            flush=True,
        )
        for queue, check in result.checks.items():
            for change in check.changes:
                diff = change.diff.describe() or "no outages"
                print(
                    f"  {result.region} {queue} {change.kind.value} {change.date}: {diff}",
                    file=self._out,
                    flush=True,
                )
