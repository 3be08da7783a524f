"""The plan-versus-fact section of the admins' ``/stats``: totals and the queues furthest off.

Names a queue and region only, never a user or a count of monitors; queues below the
privacy floor are not in the report at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from html import escape

from esvitlo.domain.plan_fact import QueuePlanFact
from esvitlo.domain.texts import BotTexts, Texts, format_duration, queue_title

TOP_QUEUES = 5


def _minutes(value: timedelta | None, texts: Texts) -> str:
    return "—" if value is None else format_duration(round(value.total_seconds() / 60), texts)


def _gap(queue: QueuePlanFact) -> timedelta:
    """How far fact and plan differ on the queue's scheduled days."""
    return abs(queue.compared_fact - (queue.planned or timedelta(0)))


def plan_fact_section(
    queues: Sequence[QueuePlanFact],
    region_names: Mapping[str, str],
    ui: BotTexts,
    texts: Texts,
) -> str:
    """Totals over every measured queue, then the queues whose fact differs most from plan."""
    if not queues:
        return ui.admin_plan_fact_none
    planned = [q.planned for q in queues if q.planned is not None]
    lines = [
        ui.admin_plan_fact.format(
            queues=len(queues),
            fact=_minutes(sum((q.compared_fact for q in queues), timedelta(0)), texts),
            planned=_minutes(sum(planned, timedelta(0)) if planned else None, texts),
            starts_on_time=sum(q.starts_on_time for q in queues),
            starts=sum(q.starts_seen for q in queues),
            ends_on_time=sum(q.ends_on_time for q in queues),
            ends=sum(q.ends_seen for q in queues),
            unplanned=sum(q.unplanned for q in queues),
            kept=sum(q.kept for q in queues),
        )
    ]
    furthest = sorted(queues, key=_gap, reverse=True)[:TOP_QUEUES]
    lines.extend(
        ui.admin_plan_fact_line.format(
            region=escape(region_names.get(q.region, q.region)),
            queue=escape(queue_title(texts, q.queue)),
            fact=_minutes(q.compared_fact, texts),
            planned=_minutes(q.planned, texts),
        )
        for q in furthest
        if q.planned is not None
    )
    return "\n".join(lines)
