"""The power watch over a real database: probes and heartbeats in, debounced transitions and
alerts with the schedule's view out, one alert per change even across restarts and when two
instances briefly watch the same monitor."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import Monitor, MonitorKind, PowerOutage, hash_secret
from esvitlo.domain.power import Debounce, Power
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.heartbeats import HeartbeatReceiver, new_secret
from esvitlo.services.power_watch import PowerWatch

from step_clock import StepClock

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
KYIV_ZONE = ZoneInfo("Europe/Kyiv")
D = date(2026, 11, 20)
START = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)  # 13:00 in Kyiv
INTERVAL = 30.0


class ScriptedProber:
    """ports.Prober answering from a per-host verdict the test sets; counts probes per host."""

    def __init__(self) -> None:
        self.verdicts: dict[str, ProbeVerdict] = {}
        self.probed: dict[str, int] = {}

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        self.probed[target.host] = self.probed.get(target.host, 0) + 1
        verdict = self.verdicts.get(target.host, ProbeVerdict.SILENT)
        return ProbeResult(verdict, "tcp", verdict.value)


@pytest.fixture
async def storage(tmp_path: Path):
    clock = StepClock(START)
    engine = create_engine(f"sqlite:///{tmp_path / 'power.db'}")
    await upgrade_engine(engine)
    repositories = SqlStorage.from_engine(engine, clock)
    yield repositories
    await repositories.close()


def clock_of(storage: SqlStorage) -> StepClock:
    clock = storage.monitors._clock  # the one clock every repository shares
    assert isinstance(clock, StepClock)
    return clock


def watch_for(storage: SqlStorage, prober: ScriptedProber, **kwargs) -> PowerWatch:
    return PowerWatch(
        storage.power,
        prober,
        storage.schedules,
        [KYIV],
        clock_of(storage),
        interval=INTERVAL,
        debounce=Debounce(off_after=3, on_after=2),
        **kwargs,
    )


async def household(
    storage: SqlStorage, telegram_id: int = 1, language: str = "uk", target: str = "8.8.8.8"
) -> Monitor:
    user = await storage.users.get_or_create(telegram_id, language)
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
    return await storage.monitors.add(
        user.id, sub.id, MonitorKind.PROBE, target, None, timedelta(seconds=60)
    )


async def alerts(storage: SqlStorage) -> list[tuple[int, str]]:
    query = select(outbox.c.chat_id, outbox.c.payload).where(outbox.c.kind == "power")
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(query.order_by(outbox.c.id))).all()
    return [(row.chat_id, row.payload["text"]) for row in rows]


async def cycles(watch: PowerWatch, prober: ScriptedProber, host: str, pattern: str) -> None:
    for mark in pattern:
        prober.verdicts[host] = {
            "+": ProbeVerdict.ANSWERED,
            "-": ProbeVerdict.SILENT,
            "?": ProbeVerdict.INCONCLUSIVE,
        }[mark]
        await watch.run_cycle()


def outage_today(start: str, end: str) -> dict[date, DaySchedule]:
    def minute(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:])

    return {D: DaySchedule(D, DayState.PUBLISHED, (Span(minute(start), minute(end)),))}


async def test_cold_start_is_silent_then_off_and_back_are_alerted_once(storage: SqlStorage):
    await storage.schedules.save("kyiv", {"3.1": outage_today("13:00", "16:00")})
    monitor = await household(storage)
    prober = ScriptedProber()
    watch = watch_for(storage, prober)
    await cycles(watch, prober, "8.8.8.8", "++++")
    assert await alerts(storage) == []  # a cold start never alerts

    await cycles(watch, prober, "8.8.8.8", "--?-")  # inconclusive is not a miss
    [(chat, text)] = await alerts(storage)
    phase = timedelta(seconds=watch.phase_of(monitor.id))  # each probe's moment in its cycle
    first_miss = START + timedelta(seconds=INTERVAL * 4) + phase
    assert chat == 1
    local = first_miss.astimezone(KYIV_ZONE).strftime("%H:%M")
    assert text.splitlines()[0] == f"🔴 <b>Світло зникло</b> о {local} · Дім"
    assert "За графіком світло мало б повернутися о 16:00." in text
    assert "Було" not in text  # "on since" came from a cold start: no duration claimed

    await cycles(watch, prober, "8.8.8.8", "-+-++")
    texts = [text for _, text in await alerts(storage)]
    assert len(texts) == 2
    assert texts[1].splitlines()[0].startswith("🟢 <b>Світло зʼявилося</b>")
    assert "Не було 3 хв." in texts[1]  # first miss (cycle 4) to first answer in a row (11)
    assert "За графіком зараз відключення до 16:00." in texts[1]
    outages = await storage.monitors.outages(monitor.id, START, clock_of(storage).now())
    back = START + timedelta(seconds=INTERVAL * 11) + phase
    assert outages == [PowerOutage(first_miss, back)]
    assert watch.stats.transitions == {"off": 1, "on": 1}


async def test_an_outage_outside_the_schedule_says_so_in_english(storage: SqlStorage):
    await storage.schedules.save("kyiv", {"3.1": outage_today("20:00", "22:00")})
    await household(storage, language="en")
    prober = ScriptedProber()
    watch = watch_for(storage, prober)
    await cycles(watch, prober, "8.8.8.8", "++")
    await cycles(watch, prober, "8.8.8.8", "---")
    [(_, text)] = await alerts(storage)
    assert "Power went off" in text and "This outage is not in the schedule." in text
    await cycles(watch, prober, "8.8.8.8", "++")
    [_, (_, back)] = await alerts(storage)
    assert "Next planned outage: 20:00–22:00." in back


async def test_a_restart_mid_change_neither_loses_nor_repeats_the_alert(storage: SqlStorage):
    await household(storage)
    prober = ScriptedProber()
    first = watch_for(storage, prober)
    await cycles(first, prober, "8.8.8.8", "++--")  # two misses pending when it stops
    second = watch_for(storage, prober)  # a new process: state comes from the database
    await cycles(second, prober, "8.8.8.8", "-")
    assert len(await alerts(storage)) == 1
    await cycles(second, prober, "8.8.8.8", "---")
    assert len(await alerts(storage)) == 1


async def test_two_instances_on_one_monitor_record_one_transition(storage: SqlStorage):
    await household(storage)
    prober = ScriptedProber()
    one, two = watch_for(storage, prober), watch_for(storage, prober)
    for mark in "++---":
        prober.verdicts["8.8.8.8"] = ProbeVerdict.ANSWERED if mark == "+" else ProbeVerdict.SILENT
        await asyncio.gather(one.run_cycle(), two.run_cycle())
    assert len(await alerts(storage)) == 1
    assert one.stats.lost_races + two.stats.lost_races >= 1


async def test_only_owned_monitors_are_probed(storage: SqlStorage):
    mine = await household(storage, 1, target="8.8.8.8")
    await household(storage, 2, target="1.1.1.1")
    prober = ScriptedProber()

    async def owned(ids):
        assert sorted(ids) == [mine.id, mine.id + 1]
        return {mine.id}

    watch = watch_for(storage, prober, owned=owned)
    await watch.run_cycle()
    assert prober.probed == {"8.8.8.8": 1}


async def test_heartbeats_turn_into_power_states(storage: SqlStorage):
    clock = clock_of(storage)
    user = await storage.users.get_or_create(1, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дача")
    secret = new_secret()
    await storage.monitors.add(
        user.id, sub.id, MonitorKind.HEARTBEAT, "", hash_secret(secret), timedelta(seconds=60)
    )
    receiver = HeartbeatReceiver(storage.power, clock)
    watch = watch_for(storage, ScriptedProber())
    assert not await receiver.beat("x" * 32)
    assert not await receiver.beat("../../etc/passwd")
    for _ in range(3):  # beats every minute: cold start into "on", silently
        assert await receiver.beat(secret)
        await watch.run_cycle()
        await watch.run_cycle()
    assert await alerts(storage) == []
    [(watched, _)] = await storage.power.watched()
    assert watched.monitor.power is Power.ON
    last_beat = clock.now() - timedelta(seconds=60)

    for _ in range(10):  # the device goes quiet
        await watch.run_cycle()
    [(_, text)] = await alerts(storage)
    due = (last_beat + timedelta(seconds=60)).astimezone(KYIV_ZONE).strftime("%H:%M")
    assert text.splitlines()[0] == f"🔴 <b>Світло зникло</b> о {due} · Дача"

    assert await receiver.beat(secret)
    await watch.run_cycle()
    await watch.run_cycle()
    assert len(await alerts(storage)) == 1  # one beat is not enough
    await clock.sleep(30)
    assert await receiver.beat(secret)
    await watch.run_cycle()
    texts = [text for _, text in await alerts(storage)]
    assert len(texts) == 2 and "Світло зʼявилося" in texts[1]
