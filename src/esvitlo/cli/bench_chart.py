"""``esvitlo bench chart``: the cost of one schedule image of a real Kyiv queue."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from importlib import resources

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.texts import queue_title, texts_for

TARGET_MS = 10.0
QUEUE = "3.1"
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

    def render() -> bytes:
        return chart.schedule_png(
            schedule,
            today=today,
            zone=snapshot.zone,
            texts=texts,
            region="Київ",
            queue=queue_title(texts, QUEUE, schedule.name),
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
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<16} {value}")
    return 0
