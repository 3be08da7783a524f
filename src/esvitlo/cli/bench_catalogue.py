"""``esvitlo bench parse``, the catalogue part: one poll cycle of every region, every kind.

A poll cycle decodes, parses and checks one document per region with sources: its first
source's, since the fetcher asks the others only when that one fails. Each document is
made to the size of a real one of its kind, deliberately on the large side: every DTEK
region gets the Kyiv-2026-sized file (120 groups; most regions publish a dozen), a YASNO
answer has Kyiv's 12 groups with today and tomorrow, a Mykolaiv bundle has the 12
sub-queues and entries for all 35 of the operator's queues (city and district ones too)
on two days, a third of their slots off. Every queue is checked against stored days that
differ in one group (DTEK), so the diff path runs. ``catalogue_every_source_cpu_s`` is the
worst case: every source of every region parsed, as when each first source reports a feed
error and the fetcher reads the next one too.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.catalogue import Catalogue
from esvitlo.domain.changes import check_queue
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.domain.model import DaySchedule, RegionSnapshot, local_date

CATALOGUE_TARGET_S = 0.5
KYIV = ZoneInfo("Europe/Kyiv")
DAY = date(2026, 12, 6)
QUEUES = [f"{n}.{half}" for n in range(1, 7) for half in (1, 2)]
Stored = Mapping[str, Mapping[date, DaySchedule]]


def yasno_document(variant: int = 0) -> bytes:
    """A YASNO planned-outages answer: 12 groups, today and tomorrow, two or three outages."""

    def day(on: date, shift: int) -> dict[str, object]:
        slots, start = [], 0
        for outage in ((300 + shift, 540 + shift), (780 + shift, 1020 + shift), (1260, 1380)):
            slots.append({"start": start, "end": outage[0], "type": "NotPlanned"})
            slots.append({"start": outage[0], "end": outage[1], "type": "Definite"})
            start = outage[1]
        slots.append({"start": start, "end": 1440, "type": "NotPlanned"})
        midnight = datetime.combine(on, datetime.min.time(), KYIV).isoformat()
        return {"slots": slots, "date": midnight, "status": "ScheduleApplies"}

    doc = {
        queue: {
            "today": day(DAY, 30 * (i % 4) + (30 if i == 0 and variant else 0)),
            "tomorrow": day(DAY + timedelta(days=1), 30 * ((i + 1) % 4)),
            "updatedOn": "2026-12-06T07:00:00+00:00",
        }
        for i, queue in enumerate(QUEUES)
    }
    return json.dumps(doc).encode()


def mykolaiv_document(variant: int = 0) -> bytes:
    """A Mykolaiv bundle: 12 sub-queues, 48 slots, two days of entries for 35 queues."""
    stamp = "2026-12-05T18:40:00.000Z"
    sub_ids = {queue: 25 + i for i, queue in enumerate(QUEUES)}
    queues = [
        {"id": qid, "name": q, "type_id": 3, "enabled": 1, "created_at": stamp, "deleted": 0}
        for q, qid in sub_ids.items()
    ]
    slots = [
        {"id": i + 1, "start": _clock(i * 30), "end": _clock((i + 1) * 30 % 1440)}
        for i in range(48)
    ]
    active = []
    for offset in (0, 1):
        on = DAY + timedelta(days=offset)
        series = [
            {
                "id": 10_000 * (offset + 1) + queue_id * 48 + slot,
                "outage_schedule_id": 900 + offset,
                "time_series_id": slot,
                "outage_queue_id": queue_id,
                "created_at": stamp,
                "updated_at": stamp,
                "type": "PROBABLY_OFF" if slot % 16 == 0 else "OFF",
            }
            for queue_id in [*range(1, 24), *sub_ids.values()]  # 20 city, 3 district
            for slot in range(1, 49)
            if (slot + queue_id + (variant if queue_id == 25 else 0)) % 3 == 0
        ]
        end = _midnight(on + timedelta(days=1))
        active.append({"id": 900 + offset, "from": _midnight(on), "to": end, "series": series})
    return json.dumps({"queues": queues, "time_series": slots, "active": active}).encode()


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}:00"


def _midnight(on: date) -> str:
    instant = datetime.combine(on, datetime.min.time(), KYIV).astimezone(UTC)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _stored(raw: bytes) -> dict[str, dict[date, DaySchedule]]:
    snapshot = parse_document(decode_json(raw), region="bench")
    return {q: {d.date: d for d in s.days} for q, s in snapshot.queues.items()}


def _today(snapshot: RegionSnapshot) -> date:
    seen = snapshot.observed_at
    if seen is not None:
        return local_date(seen, snapshot.zone)
    return snapshot.today or DAY


def process(raw: bytes, stored: Stored, region: str = "bench") -> None:
    """Decode, parse and check every queue of one document, as one region's poll does."""
    snapshot = parse_document(decode_json(raw), region=region)
    today = _today(snapshot)
    for queue, schedule in snapshot.queues.items():
        check_queue(stored.get(queue), schedule, today)


class KindDocuments:
    """Per source kind: the document a poll reads and the stored days it is checked against."""

    def __init__(self, dtek_file: Callable[[int], bytes]) -> None:
        makers = {
            SourceKind.DTEK: dtek_file,
            SourceKind.YASNO: yasno_document,
            SourceKind.MYKOLAIV: mykolaiv_document,
        }
        self.documents = {kind: make(1) for kind, make in makers.items()}
        self.stored = {kind: _stored(make(0)) for kind, make in makers.items()}

    def process(self, kind: SourceKind, region: str = "bench") -> None:
        process(self.documents[kind], self.stored[kind], region)


def _cpu_ms(work: Callable[[], None]) -> float:
    start = time.process_time()
    work()
    return (time.process_time() - start) * 1000


def catalogue_figures(
    catalogue: Catalogue, dtek_file: Callable[[int], bytes], rounds: int
) -> dict[str, Any]:
    """The per-kind medians and one whole-catalogue cycle's CPU time (median of cycles)."""
    docs = KindDocuments(dtek_file)
    polled = [(r.id, r.sources[0].kind) for r in catalogue.regions if r.sources]

    def kind_median_ms(kind: SourceKind) -> float:
        times = [_cpu_ms(lambda: docs.process(kind)) for _ in range(max(rounds // 4, 3))]
        return round(statistics.median(times), 2)

    per_kind = {kind.value: kind_median_ms(kind) for kind in SourceKind}

    every = [(r.id, s.kind) for r in catalogue.regions for s in r.sources]

    def cycle(documents: list[tuple[str, SourceKind]] = polled) -> None:
        for region, kind in documents:
            docs.process(kind, region)

    cycles = [_cpu_ms(cycle) / 1000 for _ in range(max(rounds // 20, 3))]
    median_s = statistics.median(cycles)
    every_s = statistics.median(_cpu_ms(lambda: cycle(every)) / 1000 for _ in range(3))
    return {
        "kind_cpu_median_ms": per_kind,
        "kind_bytes": {kind.value: len(body) for kind, body in docs.documents.items()},
        "catalogue_regions": len(catalogue.regions),
        "catalogue_polled_regions": len(polled),
        "catalogue_polled_by_kind": {
            kind.value: sum(1 for _, k in polled if k is kind) for kind in SourceKind
        },
        "catalogue_cycles": len(cycles),
        "catalogue_cycle_cpu_s": round(median_s, 3),
        "catalogue_cycle_cpu_max_s": round(max(cycles), 3),
        "catalogue_every_source_cpu_s": round(every_s, 3),
        "catalogue_target_s": CATALOGUE_TARGET_S,
        "catalogue_ratio_to_target": round(median_s / CATALOGUE_TARGET_S, 3),
    }
