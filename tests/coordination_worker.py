"""The failover test's instance: a LeaderElection over Redis, until killed.

``python tests/coordination_worker.py REDIS_URL NAMESPACE INSTANCE_ID TTL`` prints
``ready``, then ``elected`` and ``demoted`` as they happen. The test SIGKILLs it.
"""

from __future__ import annotations

import asyncio
import sys

from esvitlo.adapters.redis_client import connect
from esvitlo.adapters.redis_coordinator import RedisCoordinator
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.services.coordination import LeaderElection


def say(line: str) -> None:
    print(line, flush=True)


async def main(url: str, namespace: str, instance_id: str, ttl: float) -> None:
    coordinator = RedisCoordinator(connect(url), instance_id, namespace=namespace)

    async def elected() -> None:
        say("elected")

    async def demoted() -> None:
        say("demoted")

    election = LeaderElection(
        coordinator, SystemClock(), ttl=ttl, on_elected=elected, on_demoted=demoted
    )
    await election.start()
    say("ready")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
