"""``esvitlo bench probes``: one full probe cycle over N simulated routers on loopback.

The hosts are addresses of 127.0.0.0/8 (127.1.x.y onwards); a third answer, a third
refuse and a third never answer, served by a child process
(``esvitlo.cli.bench_probe_hosts``) whose CPU is reported apart. The real NetworkProber
(TCP, with the test-only loopback policy) runs through the real ProbeCycle on the system
clock. Measured in this process: wall time of the cycle and CPU time (``getrusage``, user
and system), so ``cpu_core_fraction`` is the prober's and the cycle's own cost. On
loopback the kernel runs the receiving side's TCP work in the sender's context too, so
the system part also holds what the simulated hosts' kernel side costs: an upper bound.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from esvitlo.adapters.prober import NetworkProber
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.cli.errors import CliError
from esvitlo.domain.addresses import LOOPBACK_FOR_TESTS_ONLY, MonitorTarget
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.probe_cycle import ProbeCycle

FIRST_HOST = IPv4Address("127.1.0.0")
KINDS = ("answer", "refuse", "silent")
EXPECTED = {
    "answer": (ProbeVerdict.ANSWERED, "connected"),
    "refuse": (ProbeVerdict.ANSWERED, "refused"),
    "silent": (ProbeVerdict.SILENT, "timeout"),
}
TARGET = {"hosts": 10_000, "cycle_s": 30.0, "cpu_core_fraction": 0.5}


@dataclass(frozen=True, slots=True)
class Host:
    """One simulated router: its key, what it does and where it is."""

    key: int
    kind: str
    target: MonitorTarget


def make_hosts(count: int, ports: dict[str, int]) -> list[Host]:
    """``count`` hosts from 127.1.0.0 on, kinds in turn (answer, refuse, silent)."""
    hosts = []
    for key in range(count):
        kind = KINDS[key % 3]
        address = str(FIRST_HOST + key)
        hosts.append(Host(key, kind, MonitorTarget(host=address, port=ports[kind])))
    return hosts


class FakeHosts:
    """The child process serving the three ports."""

    async def __aenter__(self) -> dict[str, int]:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "esvitlo.cli.bench_probe_hosts",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout=30)
        if not line.startswith(b"{"):
            self.process.kill()
            raise CliError("the simulated hosts did not start")
        ports: dict[str, int] = json.loads(line)
        return ports

    async def __aexit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), timeout=10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


class LagProber:
    """The real prober, noting how late each probe started against its phase."""

    def __init__(self, inner: NetworkProber, phases: dict[MonitorTarget, float]) -> None:
        self.inner = inner
        self.phases = phases
        self.started_at = 0.0
        self.max_lag = 0.0

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        lag = time.perf_counter() - self.started_at - self.phases[target]
        self.max_lag = max(self.max_lag, lag)
        return await self.inner.probe(target)


async def run_cycle(args: argparse.Namespace) -> dict[str, Any]:
    """Start the hosts, probe them for one cycle, and measure it."""
    async with FakeHosts() as ports:
        hosts = make_hosts(args.hosts, ports)
        prober = NetworkProber(timeout=args.timeout, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=False)
        lagging = LagProber(prober, {})
        cycle: ProbeCycle[int] = ProbeCycle(lagging, SystemClock(), args.interval, args.concurrency)
        lagging.phases = {host.target: cycle.phase_of(host.key) for host in hosts}
        before, lagging.started_at = _own_cpu(), time.perf_counter()
        results = await cycle.run([(host.key, host.target) for host in hosts])
        wall = time.perf_counter() - lagging.started_at
        user, system = (after - start for after, start in zip(_own_cpu(), before, strict=True))
        cpu = user + system
        await prober.close()
    mismatches = _mismatches(hosts, results)
    details = Counter(f"{r.verdict.value}/{r.detail}" for r in results.values())
    return {
        "hosts": args.hosts,
        "interval_s": args.interval,
        "timeout_s": args.timeout,
        "concurrency": args.concurrency,
        "cycle_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cpu_user_s": round(user, 3),
        "cpu_sys_s": round(system, 3),
        "cpu_core_fraction": round(cpu / wall, 4),
        "cpu_per_probe_us": round(cpu / max(1, args.hosts) * 1e6, 1),
        "errors": cycle.last_stats.errors + mismatches,
        "mismatches": mismatches,
        "verdicts": {v.value: cycle.last_stats.verdicts[v] for v in ProbeVerdict},
        "details": dict(sorted(details.items())),
        "max_in_flight": cycle.last_stats.max_in_flight,
        "max_start_lag_ms": round(lagging.max_lag * 1000, 1),
        "fake_hosts_cpu_s": round(_children_cpu(), 3),
        "target": TARGET,
    }


def _mismatches(hosts: list[Host], results: dict[int, ProbeResult]) -> int:
    """Hosts without a result or with another verdict than their kind's."""
    wrong = 0
    for host in hosts:
        result = results.get(host.key)
        if result is None or (result.verdict, result.detail) != EXPECTED[host.kind]:
            wrong += 1
    return wrong


def _own_cpu() -> tuple[float, float]:
    """User and system CPU seconds of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime, usage.ru_stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def run_probes_bench(args: argparse.Namespace) -> int:
    """The ``bench probes`` handler: 0 when every host got its verdict, else 1."""
    if not 1 <= args.hosts <= 3_000_000:
        raise CliError("--hosts must be between 1 and 3000000")
    if args.interval <= 0 or args.timeout <= 0 or args.concurrency < 1:
        raise CliError("--interval and --timeout must be positive, --concurrency at least 1")
    _raise_file_limit(args.concurrency + 1000)
    result = asyncio.run(run_cycle(args))
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name:<18} {value}")
    return 0 if result["errors"] == 0 else 1
