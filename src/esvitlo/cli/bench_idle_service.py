"""``esvitlo run`` for ``bench idle`` only: the same Service and run loop, its prober allowed
to reach loopback, where the bench's simulated routers live.

Monitors store names (``r-127-1-0-5.bench.invalid``): the service refuses a loopback IP
literal when it reads a target, before any prober sees it, while a name is resolved by the
prober, whose policy decides. This prober resolves those names to the address they spell
without asking DNS (``.invalid`` never resolves anywhere else), so the probes cost what they
cost after a DNS answer is cached; every other name goes to the system resolver.

The loopback bypass cannot be switched on in a normal deployment: no setting or environment
variable reaches it. It exists only in this module, which is started explicitly by
``bench idle`` (``python -m esvitlo.cli.bench_idle_service``) and is no ``esvitlo``
subcommand; ``esvitlo run`` always builds its prober with the production policy.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from contextlib import suppress
from ipaddress import ip_address

from esvitlo.adapters import logs
from esvitlo.adapters.prober import IP, NetworkProber
from esvitlo.app.assembly import configure_logging, secrets_of
from esvitlo.app.process_limits import raise_open_files_limit
from esvitlo.app.run import stop_within
from esvitlo.app.service import Service
from esvitlo.cli.bench_idle import SUFFIX
from esvitlo.domain.addresses import LOOPBACK_FOR_TESTS_ONLY
from esvitlo.settings import Settings


class BenchProber(NetworkProber):
    """A NetworkProber that reads bench names as the addresses they spell."""

    async def lookup(self, host: str) -> list[IP]:
        if host.endswith(SUFFIX) and host.startswith("r-"):
            return [ip_address(host[2 : -len(SUFFIX)].replace("-", "."))]
        return await super().lookup(host)


async def run_bench_service(settings: Settings) -> int:
    """What ``run_service`` does, with the loopback-allowing prober passed in."""
    configure_logging(settings.log_level, fmt=settings.log_format, secrets=secrets_of(settings))
    logs.bind_log_context(instance=settings.instance_id)
    raise_open_files_limit()
    prober = BenchProber(timeout=settings.probe_timeout, policy=LOOPBACK_FOR_TESTS_ONLY)
    service = Service(settings, prober=prober)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await service.start()
    print("started", flush=True)
    try:
        await stop.wait()
    finally:
        stopped = await stop_within(service, settings.shutdown_timeout)
    return 0 if stopped else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(run_bench_service(Settings())))
