"""``esvitlo bench parse``: the cost of one poll cycle on a Kyiv-2026-sized region file."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any

from esvitlo.domain.changes import check_queue
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.model import DaySchedule, local_date

GROUPS = 120  # Kyiv 2026: GPV1.1 .. GPV60.2
TARGET_MS = 20.0
PRESET_GROUPS = 52  # weekly templates for part of the groups: about 360 KB, as Kyiv in 2026


def add_parser(sub: Any) -> None:
    """Register the ``bench`` subcommands: parse, chart, fanout, probes, reminders, idle, web,
    crowd."""
    bench = sub.add_parser("bench", help="run a benchmark")
    kinds = bench.add_subparsers(dest="bench", required=True, parser_class=sub._parser_class)
    parse = kinds.add_parser(
        "parse", help="parse + diff of a 120-group region file, every kind, the catalogue"
    )
    parse.add_argument("--rounds", type=int, default=200, help="files to process (default 200)")
    parse.add_argument("--json", action="store_true", help="print one JSON object")
    parse.set_defaults(handler=run_parse_bench)
    chart = kinds.add_parser("chart", help="render the schedule image of a real Kyiv queue")
    chart.add_argument("--rounds", type=int, default=200, help="images to render (default 200)")
    chart.add_argument("--json", action="store_true", help="print one JSON object")
    chart.set_defaults(handler=_chart)
    fanout = kinds.add_parser("fanout", help="plan and send one change to 100,000 subscribers")
    fanout.add_argument("--database-url", help="SQLite or PostgreSQL (default: a temporary file)")
    fanout.add_argument("--quick", action="store_true", help="2,000 subscribers, 3 s per rate")
    fanout.add_argument("--json", action="store_true", help="print one JSON object")
    fanout.add_argument(
        "--load", action="store_true", help="keep one core busy with a CPU burner beside it"
    )
    fanout.set_defaults(handler=_fanout)
    probes = kinds.add_parser("probes", help="one probe cycle over N simulated routers")
    probes.add_argument("--hosts", type=int, default=10_000, help="simulated hosts (10000)")
    probes.add_argument("--interval", type=float, default=30.0, help="cycle seconds (30)")
    probes.add_argument("--timeout", type=float, default=5.0, help="probe timeout (5)")
    probes.add_argument("--concurrency", type=int, default=2000, help="in flight (2000)")
    probes.add_argument("--json", action="store_true", help="print one JSON object")
    probes.set_defaults(handler=_probes)
    reminders = kinds.add_parser("reminders", help="the per-minute reminder run at 100,000 users")
    reminders.add_argument("--database-url", help="SQLite or PostgreSQL (default: a temp file)")
    reminders.add_argument("--minutes", type=int, default=60, help="virtual minutes (60)")
    reminders.add_argument("--users", type=int, default=100_000, help=argparse.SUPPRESS)
    reminders.add_argument("--json", action="store_true", help="print one JSON object")
    reminders.set_defaults(handler=_reminders)
    idle = kinds.add_parser("idle", help="CPU and memory of `esvitlo run` idle at 100k users")
    idle.add_argument("--minutes", type=float, default=2.0, help="minutes measured (2)")
    idle.add_argument("--users", type=int, default=100_000, help=argparse.SUPPRESS)
    idle.add_argument("--warmup", type=float, default=None, help=argparse.SUPPRESS)
    idle.add_argument("--json", action="store_true", help="print one JSON object")
    idle.set_defaults(handler=_idle)
    web = kinds.add_parser("web", help="status page, calendar and JSON API under 100 clients")
    web.add_argument("--seconds", type=float, default=10.0, help="seconds per endpoint (10)")
    web.add_argument("--clients", type=int, default=100, help="concurrent clients (100)")
    web.add_argument("--queues", type=int, default=None, help=argparse.SUPPRESS)
    web.add_argument("--json", action="store_true", help="print one JSON object")
    web.set_defaults(handler=_web)
    crowd = kinds.add_parser("crowd", help="one crowd pass over 100,000 monitors, 2,000 queues")
    crowd.add_argument("--database-url", help="SQLite or PostgreSQL (default: a temp file)")
    crowd.add_argument("--passes", type=int, default=6, help="passes, 30 s apart (6)")
    crowd.add_argument("--monitors", type=int, default=100_000, help=argparse.SUPPRESS)
    crowd.add_argument("--json", action="store_true", help="print one JSON object")
    crowd.set_defaults(handler=_crowd)


def _chart(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_chart import run_chart_bench  # Pillow only when asked for

    return run_chart_bench(args)


def _fanout(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_fanout import run_fanout_bench  # aiogram only when asked for

    return run_fanout_bench(args)


def _probes(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_probes import run_probes_bench  # aiohttp only when asked for

    return run_probes_bench(args)


def _reminders(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_reminders import run_reminders_bench  # SQLAlchemy only when asked

    return run_reminders_bench(args)


def _idle(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_idle import run_idle_bench  # the service's stack only when asked

    return run_idle_bench(args)


def _web(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_web import run_web_bench  # the service's stack only when asked

    return run_web_bench(args)


def _crowd(args: argparse.Namespace) -> int:
    from esvitlo.cli.bench_crowd import run_crowd_bench  # SQLAlchemy only when asked

    return run_crowd_bench(args)


def _rotate(hours: Mapping[str, str], shift: int) -> dict[str, str]:
    return {str(h): hours[str((h - 1 + shift) % 24 + 1)] for h in range(1, 25)}


def build_region_file(seed: Mapping[str, Any], groups: int = GROUPS, variant: int = 0) -> bytes:
    """A region document with ``groups`` queues made from a real one's hour patterns.

    ``variant`` shifts one group's outages so consecutive files differ like real updates.
    """
    fact_days = seed["fact"]["data"]
    real = sorted(next(iter(fact_days.values())))
    names = [f"GPV{i // 2 + 1}.{i % 2 + 1}" for i in range(groups)]
    days = {
        stamp: {
            name: _rotate(day[real[i % len(real)]], i // len(real) + (variant if i == 0 else 0))
            for i, name in enumerate(names)
        }
        for stamp, day in fact_days.items()
    }
    week = seed["preset"]["data"]
    preset = dict(seed["preset"])
    preset["sch_names"] = {n: f"Група {n[3:]}" for n in names}
    preset["data"] = {n: week[real[i % len(real)]] for i, n in enumerate(names[:PRESET_GROUPS])}
    doc = dict(seed, fact=dict(seed["fact"], data=days), preset=preset)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


def _seed() -> Any:
    text = resources.files("esvitlo").joinpath("data/bench_seed.json").read_bytes()
    return decode_json(text)


def _one_cycle(
    raw: bytes, stored: Mapping[str, Mapping[date, DaySchedule]]
) -> tuple[float, float, float]:
    """Decode, parse and check every queue once; the three stage times in seconds."""
    t0 = time.perf_counter()
    doc = decode_json(raw)
    t1 = time.perf_counter()
    snapshot = parse_document(doc, region="kyiv")
    t2 = time.perf_counter()
    seen = snapshot.observed_at
    today = local_date(seen, snapshot.zone) if seen else snapshot.today
    assert today is not None
    for queue, schedule in snapshot.queues.items():
        check_queue(stored.get(queue), schedule, today)
    return t1 - t0, t2 - t1, time.perf_counter() - t2


def run_parse_bench(args: argparse.Namespace) -> int:
    """Time decode + parse + change detection of every queue, file after file."""
    seed = _seed()
    files = [build_region_file(seed, variant=v) for v in range(4)]
    first = parse_document(decode_json(files[0]), region="kyiv")
    stored = {q: {d.date: d for d in s.days} for q, s in first.queues.items()}
    wall: list[float] = []
    cpu: list[float] = []
    stages: list[tuple[float, float, float]] = []
    for i in range(max(args.rounds, 1)):
        raw = files[i % len(files)]
        t0, c0 = time.perf_counter(), time.process_time()
        stages.append(_one_cycle(raw, stored))
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)

    def median_ms(index: int) -> float:
        return round(statistics.median(s[index] for s in stages) * 1000, 2)

    result = {
        "benchmark": "parse",
        "file_bytes": len(files[0]),
        "groups": len(first.queues),
        "rounds": len(wall),
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": round(sorted(wall)[max(int(len(wall) * 0.95) - 1, 0)], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "decode_median_ms": median_ms(0),
        "parse_median_ms": median_ms(1),
        "diff_median_ms": median_ms(2),
        "target_ms": TARGET_MS,
        "ratio_to_target": round(statistics.median(wall) / TARGET_MS, 3),
    }
    result |= _catalogue_figures(seed, args.rounds)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:<26} {value}")
    return 0


def _catalogue_figures(seed: Mapping[str, Any], rounds: int) -> dict[str, Any]:
    """Every source kind's median and one poll cycle of the whole catalogue (bench_catalogue)."""
    from esvitlo.cli.bench_catalogue import catalogue_figures
    from esvitlo.settings import Settings

    return catalogue_figures(
        Settings().catalogue(), lambda v: build_region_file(seed, variant=v), rounds
    )
