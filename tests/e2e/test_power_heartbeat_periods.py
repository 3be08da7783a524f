"""End to end on a virtual clock: a device set up with the bot's "every 5 minutes" heartbeat
beats, goes quiet, and with the default settings (probe interval 30 s, 3 misses, 2 beats) its
owner gets "power went off" dated at the first missed beat, three periods and a grace after
the last beat, then "power is back" when it beats again; once each (SQLite and PostgreSQL;
real web app, power watch, outbox sender and aiogram client against the fake Bot API)."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import aiohttp

from esvitlo.app import Service
from esvitlo.domain.monitors import PowerOutage

from bot_user import settings_for
from delivery_rig import texts_to
from virtual_clock import VirtualClock

pytest_plugins = ("fake_bot",)

KYIV = ZoneInfo("Europe/Kyiv")
EVERY = timedelta(minutes=5)
GRACE = EVERY / 2
CYCLE = timedelta(seconds=30)  # ESVITLO_PROBE_INTERVAL's default
OFF_AFTER = 3  # ESVITLO_POWER_OFF_AFTER's default
STEP = 10.0  # seconds of virtual time the test moves at once


class PacedClock(VirtualClock):
    """A VirtualClock the test moves in steps. The service's loops sleep on it; a step wakes
    those due within it in time order, then waits (in real time, briefly) until every loop
    that slept before the step sleeps again, its database and HTTP calls done. So time never
    runs ahead while a query is in flight (``VirtualClock.run`` jumps whenever the event loop
    looks idle, which it also does while a query runs in a thread)."""

    async def advance(self, seconds: float, settle_within: float = 1.0) -> None:
        resting = len(self._sleepers)
        target = self.t + seconds
        while self._sleepers and self._sleepers[0][0] <= target:
            moment, _, future = heapq.heappop(self._sleepers)
            self.t = max(self.t, moment)
            if not future.done():
                future.set_result(None)
            await self.settle(resting, settle_within)
        self.t = max(self.t, target)

    async def settle(self, resting: int, within: float) -> None:
        """Wait until ``resting`` sleepers are back (or ``within`` real seconds passed)."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + within
        await asyncio.sleep(0)
        while len(self._sleepers) < resting and loop.time() < give_up:
            await asyncio.sleep(0.001)


def hh_mm(at: datetime) -> str:
    return at.astimezone(KYIV).strftime("%H:%M")


async def test_a_five_minute_heartbeat_reports_off_and_back(fake, feed, database_url, tmp_path):
    clock = PacedClock(datetime.now(UTC).replace(microsecond=0))
    service = Service(settings_for(fake, feed, database_url, tmp_path), clock=clock)
    owner = fake.create_user("Олена").id

    async def wait(seconds: float, done: Callable[[], bool] = lambda: False) -> datetime | None:
        """Move time on by ``seconds`` in steps; the moment ``done`` came true, if it did."""
        end = clock.t + seconds
        while clock.t < end:
            await clock.advance(min(STEP, end - clock.t))
            if done():
                return clock.now()
        return None

    def went(power: str) -> Callable[[], bool]:
        """Whether the watch has saved one change to ``power`` (its alerts with it)."""
        return lambda: service.power.stats.transitions.get(power) == 1

    await service.start()
    try:
        storage = service.storage
        user = await storage.users.get_or_create(owner, "uk")
        sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дача")
        setup = await service.services().monitors.add_heartbeat(owner, sub.id, 300)
        url = f"http://127.0.0.1:{service.http_port}{urlsplit(setup.url).path}"
        async with aiohttp.ClientSession() as http:

            async def beat() -> datetime:
                async with http.post(url) as reply:
                    assert reply.status == 200
                return clock.now()

            for _ in range(3):  # a cold start into "on": silent
                await wait(EVERY.total_seconds())
                last = await beat()
            quiet = (EVERY * OFF_AFTER + GRACE).total_seconds()
            assert await wait(quiet - STEP, went("off")) is None  # not before 3 periods + grace
            noticed = await wait(CYCLE.total_seconds() + 2 * STEP, went("off"))
            assert noticed is not None, "not off three periods, a grace and a cycle after"
            await fake.wait_until(lambda: texts_to(fake, owner), within=10)  # sent in real time
            [off] = texts_to(fake, owner)
            assert off.splitlines()[0] == f"🔴 Світло зникло о {hh_mm(last + EVERY)} · Дача"

            await wait(EVERY.total_seconds())
            back = await beat()
            await wait(EVERY.total_seconds())
            await beat()
            assert await wait(CYCLE.total_seconds() + 2 * STEP, went("on")) is not None
            await fake.wait_until(lambda: len(texts_to(fake, owner)) == 2, within=10)
            await wait(EVERY.total_seconds())  # nothing more may happen
            assert service.power.stats.transitions == {"off": 1, "on": 1}
        outages = await storage.monitors.outages(setup.monitor.id, last, clock.now())
        assert outages == [PowerOutage(last + EVERY, back)]
    finally:
        await service.stop()
    [_, on] = texts_to(fake, owner)
    assert on.splitlines()[0] == f"🟢 Світло зʼявилося о {hh_mm(back)} · Дача"
    assert "Не було" in on
