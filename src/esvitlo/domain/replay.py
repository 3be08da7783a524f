"""Feed a series of snapshots through change detection, as the watcher would."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date

from esvitlo.domain.changes import QueueCheck, check_queue
from esvitlo.domain.model import DaySchedule, RegionSnapshot, local_date


def replay(
    snapshots: Iterable[RegionSnapshot], queue: str
) -> Iterator[tuple[RegionSnapshot, QueueCheck]]:
    """Yield each snapshot with the check of ``queue`` against what the previous ones left.

    Each step's "today" is the local date of the moment the feed looked at its upstream.
    """
    stored: Mapping[date, DaySchedule] | None = None
    for snapshot in snapshots:
        seen = snapshot.observed_at
        today = local_date(seen, snapshot.zone) if seen else snapshot.today
        if today is None:
            today = min((d.date for q in snapshot.queues.values() for d in q.days), default=None)
        if today is None:
            raise ValueError(f"cannot tell the date of a snapshot of {snapshot.region}")
        check = check_queue(stored, snapshot.queues.get(queue), today, source_ok=snapshot.source_ok)
        if check.keep is not None:
            stored = check.keep
        yield snapshot, check


def describe_check(check: QueueCheck) -> str:
    """One line: the decision and, per changed day, its kind, date and structural diff."""
    parts = [check.decision.value]
    for change in check.changes:
        diff = change.diff.describe() or "(no outages)"
        parts.append(f"{change.kind.value} {change.date.isoformat()} {diff}")
    return " | ".join(parts)
