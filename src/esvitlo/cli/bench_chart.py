"""``esvitlo bench chart``: the cost of one schedule image of a real Kyiv queue, of the same
image with the "now" mark and the stale badge the schedule screen draws (``marked_*``), of one
weekly power chart (``week_*``), and the uploads a day of schedule screens causes with plain
and with marked picture keys (``uploads_*``)."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.power_chart import PowerWeekChart
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.model import (
    DataStatus,
    DaySchedule,
    DayState,
    RegionSnapshot,
    Span,
    span_instants,
    wall_instant,
)
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.power_week import week_chart
from esvitlo.domain.texts import power_texts_for, queue_title, texts_for
from esvitlo.services.schedule_photos import SchedulePhotos, now_slot

TARGET_MS = 10.0
QUEUE = "3.1"
DAY_REQUESTS = 10_000  # schedule screens a day in one region, between 07:00 and 23:00
ENGLISH_SHARE = 0.1
# Until Texts carries the chart's strings, the benchmark brings its own.


def run_chart_bench(args: argparse.Namespace) -> int:
    """Render the seed's queue 3.1 (today and tomorrow) ``args.rounds`` times and time it."""
    raw = resources.files("esvitlo").joinpath("data/bench_seed.json").read_bytes()
    snapshot = parse_document(decode_json(raw), region="kyiv")
    schedule = snapshot.queues[QUEUE]
    today = snapshot.today
    assert today is not None
    texts = texts_for("uk")
    chart = ScheduleChart()

    def render(now: Span | None = None, status: DataStatus = DataStatus.FRESH) -> bytes:
        return chart.schedule_png(
            schedule,
            today=today,
            zone=snapshot.zone,
            texts=texts,
            region="Київ",
            queue=queue_title(texts, QUEUE, schedule.name),
            now_slot=now,
            status=status,
        )

    t0 = time.perf_counter()
    png = render()  # the first one also loads the fonts
    first = (time.perf_counter() - t0) * 1000
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(max(args.rounds, 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    week_wall = _week_chart_ms(schedule.day(today), snapshot.zone, max(args.rounds, 1))
    marked_wall: list[float] = []
    for _ in range(max(args.rounds, 1)):
        t0 = time.perf_counter()
        render(Span(720, 750), DataStatus.STALE)
        marked_wall.append((time.perf_counter() - t0) * 1000)
    plain_uploads, marked_uploads = _day_of_uploads(snapshot)
    result = {
        "benchmark": "chart",
        "rounds": len(wall),
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(sorted(wall)[max(int(len(wall) * 0.95) - 1, 0)], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "first_ms": round(first, 2),
        "png_bytes": len(png),
        "target_ms": TARGET_MS,
        "ratio_to_target": round(statistics.median(wall) / TARGET_MS, 3),
        "week_median_ms": round(statistics.median(week_wall), 2),
        "week_ratio_to_target": round(statistics.median(week_wall) / TARGET_MS, 3),
        "marked_median_ms": round(statistics.median(marked_wall), 2),
        "day_requests": DAY_REQUESTS,
        "uploads_plain": plain_uploads,
        "uploads_marked": marked_uploads,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<16} {value}")
    return 0


def _day_of_uploads(snapshot: RegionSnapshot) -> tuple[int, int]:
    """Pictures uploaded for DAY_REQUESTS schedule screens over the seed's queues (one
    instance, schedules unchanged all day): distinct plain keys, and distinct marked keys
    (the half-hour now; fresh data)."""
    today = snapshot.today
    assert today is not None
    rng = random.Random(17)  # noqa: S311 - a repeatable load, not security
    queues = list(snapshot.queues.values())
    start = wall_instant(today, 7 * 60, snapshot.zone)
    plain: set[str] = set()
    marked: set[str] = set()
    for _ in range(DAY_REQUESTS):
        schedule = rng.choice(queues)
        lang = "en" if rng.random() < ENGLISH_SHARE else "uk"
        at = start + timedelta(seconds=rng.uniform(0, 16 * 3600))
        slot = now_slot(at, snapshot.zone)
        plain.add(SchedulePhotos.key(snapshot.region, schedule, today, lang))
        marked.add(SchedulePhotos.key(snapshot.region, schedule, today, lang, now=slot))
    return len(plain), len(marked)


def _week_chart_ms(day: DaySchedule | None, zone: ZoneInfo, rounds: int) -> list[float]:
    """Milliseconds per weekly power chart: the seed's day planned all week, each outage real
    ten minutes late, the monitor watching since the week began."""
    today = day.date if day is not None else date(2025, 11, 20)
    planned = day.outages if day is not None else ()
    week = {
        today - timedelta(days=n): DaySchedule(
            today - timedelta(days=n), DayState.PUBLISHED, planned
        )
        for n in range(7)
    }
    late = timedelta(minutes=10)
    outages = [
        PowerOutage(start + late, end + late)
        for on, stored in week.items()
        for span in stored.outages
        if (instants := span_instants(on, span, zone)) is not None
        for start, end in [instants]
    ]
    now = wall_instant(today, 20 * 60, zone)
    chart = week_chart(
        outages,
        week,
        now=now,
        created_at=now - timedelta(days=8),
        zone=zone,
        title="Дім",
        texts=texts_for("uk"),
        power_texts=power_texts_for("uk"),
    )
    renderer = PowerWeekChart()
    renderer.week_png(chart)
    wall: list[float] = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        renderer.week_png(chart)
        wall.append((time.perf_counter() - t0) * 1000)
    return wall
