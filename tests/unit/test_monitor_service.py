"""MonitorService with a fake Prober and chart renderer over a migrated SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import monitors, power_outages
from esvitlo.domain.addresses import AddressRefusal, MonitorTarget, TargetProblem
from esvitlo.domain.catalogue import Region
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.domain.power_week import WeekChart
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.services.heartbeats import HeartbeatReceiver
from esvitlo.services.monitors import (
    FIRST_PROBE_WINDOW,
    FIRST_PROBES_PER_WINDOW,
    AddStatus,
    MonitorLimitReached,
    MonitorService,
)
from esvitlo.services.power_reports import PowerReports

from step_clock import StepClock

NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
TELEGRAM_ID = 5001
KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())


class ScriptedProber:
    """ports.Prober answering from a script by host; remembers what it was asked."""

    def __init__(self, results: dict[str, ProbeResult]) -> None:
        self.results = results
        self.asked: list[MonitorTarget] = []

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        self.asked.append(target)
        return self.results[target.host]


class RecordingChart:
    """ports.PowerChartRenderer that returns fixed bytes and keeps the charts it got."""

    def __init__(self) -> None:
        self.charts: list[WeekChart] = []

    def week_png(self, chart: WeekChart) -> bytes:
        self.charts.append(chart)
        return b"\x89PNG fake"


ANSWERED = ProbeResult(ProbeVerdict.ANSWERED, "tcp", "connected", "93.184.216.34", None, 23.4, 443)
SILENT = ProbeResult(ProbeVerdict.SILENT, "tcp", "timeout", "93.184.216.35")
LOOPBACK = ProbeResult(
    ProbeVerdict.INCONCLUSIVE, "dns", "refused_address", "127.0.0.1", AddressRefusal.LOOPBACK
)
NO_NAME = ProbeResult(ProbeVerdict.INCONCLUSIVE, "dns", "dns_failed")


@pytest.fixture
async def storage(tmp_path) -> AsyncIterator[SqlStorage]:
    engine = create_engine(f"sqlite:///{tmp_path / 'monitors.db'}")
    await upgrade_engine(engine)
    store = SqlStorage.from_engine(engine, StepClock(NOW))
    yield store
    await store.close()


@pytest.fixture
def prober() -> ScriptedProber:
    return ScriptedProber(
        {
            "93.184.216.34": ANSWERED,
            "93.184.216.35": SILENT,
            "evil.example.com": LOOPBACK,
            "nowhere.example.com": NO_NAME,
        }
    )


def service(storage: SqlStorage, prober: ScriptedProber, **kwargs: object) -> MonitorService:
    return MonitorService(
        storage.users, storage.subscriptions, storage.monitors, prober, StepClock(NOW),
        **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


async def address(storage: SqlStorage, queue: str = "3.1") -> int:
    user = await storage.users.get_or_create(TELEGRAM_ID, "uk")
    return (await storage.subscriptions.add(user.id, "kyiv", queue, f"Дім {queue}")).id


async def test_an_answering_router_is_saved_at_once(storage, prober):
    svc, sub = service(storage, prober), await address(storage)
    attempt = await svc.try_probe(TELEGRAM_ID, sub, " 93.184.216.34 ")
    assert attempt.status is AddStatus.SAVED and attempt.probe == ANSWERED
    assert attempt.monitor is not None and attempt.monitor.target == "93.184.216.34"
    [owned] = await svc.monitors_of(TELEGRAM_ID)
    assert owned.monitor.kind is MonitorKind.PROBE and owned.address is not None
    assert owned.address.id == sub


@pytest.mark.parametrize(
    ("text", "problem", "refusal"),
    [
        ("192.168.1.1", TargetProblem.REFUSED, AddressRefusal.PRIVATE),
        ("127.0.0.1:80", TargetProblem.REFUSED, AddressRefusal.LOOPBACK),
        ("100.64.0.1", TargetProblem.REFUSED, AddressRefusal.SHARED),
        ("ftp://example.com", TargetProblem.BAD_SCHEME, None),
        ("http://user:pw@example.com/", TargetProblem.CREDENTIALS, None),
        ("example.com:99999", TargetProblem.BAD_PORT, None),
        ("", TargetProblem.EMPTY, None),
    ],
)
async def test_unreadable_or_refused_text_is_never_probed(storage, prober, text, problem, refusal):
    svc, sub = service(storage, prober), await address(storage)
    attempt = await svc.try_probe(TELEGRAM_ID, sub, text)
    assert attempt.status is AddStatus.INVALID and attempt.problem is not None
    assert (attempt.problem.reason, attempt.problem.refusal) == (problem, refusal)
    assert prober.asked == [] and await svc.monitors_of(TELEGRAM_ID) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("postgres", TargetProblem.BARE_NAME),  # names inside our deployment: not even resolved
        ("some-internal-name:5432", TargetProblem.BARE_NAME),
        ("home.example.com:5432", TargetProblem.PORT_NOT_ALLOWED),
        ("93.184.216.34:22", TargetProblem.PORT_NOT_ALLOWED),
    ],
)
async def test_bare_names_and_other_ports_are_never_probed(storage, prober, text, problem):
    svc, sub = service(storage, prober), await address(storage)
    attempt = await svc.try_probe(TELEGRAM_ID, sub, text)
    assert attempt.status is AddStatus.INVALID and attempt.problem is not None
    assert attempt.problem.reason is problem and prober.asked == []
    confirmed = await svc.confirm_probe(TELEGRAM_ID, sub, text)  # no way round it either
    assert confirmed.status is AddStatus.INVALID and await svc.monitors_of(TELEGRAM_ID) == []


async def test_a_name_leading_to_a_refused_address_is_told_apart_from_no_name_by_nothing(
    storage, prober
):
    svc, sub = service(storage, prober), await address(storage)
    refused = await svc.try_probe(TELEGRAM_ID, sub, "evil.example.com")
    unknown = await svc.try_probe(TELEGRAM_ID, sub, "nowhere.example.com")
    assert refused.status is unknown.status is AddStatus.CONFIRM
    assert await svc.monitors_of(TELEGRAM_ID) == []


async def test_first_probes_are_limited_per_user_and_the_wait_is_told(storage, prober):
    clock = StepClock(NOW)
    svc = MonitorService(
        storage.users, storage.subscriptions, storage.monitors, prober, clock,
    )  # fmt: skip
    sub = await address(storage)
    for _ in range(FIRST_PROBES_PER_WINDOW):
        assert (await svc.try_probe(TELEGRAM_ID, sub, "93.184.216.35")).status is AddStatus.CONFIRM
        clock.advance(minutes=1)
    limited = await svc.try_probe(TELEGRAM_ID, sub, "93.184.216.34")
    assert limited.status is AddStatus.TOO_MANY and limited.probe is None
    assert limited.retry_after == FIRST_PROBE_WINDOW - timedelta(minutes=5)
    assert len(prober.asked) == FIRST_PROBES_PER_WINDOW  # nothing probed
    assert (await svc.try_probe(TELEGRAM_ID, sub, "ftp://x")).status is AddStatus.INVALID
    other = await storage.users.get_or_create(TELEGRAM_ID + 1, "uk")
    theirs = (await storage.subscriptions.add(other.id, "kyiv", "1.1", "Їхня")).id
    assert (await svc.try_probe(TELEGRAM_ID + 1, theirs, "93.184.216.34")).status is AddStatus.SAVED
    clock.advance(minutes=5)  # the first probe left the window
    assert (await svc.try_probe(TELEGRAM_ID, sub, "93.184.216.34")).status is AddStatus.SAVED


@pytest.mark.parametrize("text", ["93.184.216.35", "nowhere.example.com"])
async def test_a_silent_or_unchecked_router_waits_for_the_users_word(storage, prober, text):
    svc, sub = service(storage, prober), await address(storage)
    attempt = await svc.try_probe(TELEGRAM_ID, sub, text)
    assert attempt.status is AddStatus.CONFIRM and attempt.target is not None
    assert await svc.monitors_of(TELEGRAM_ID) == []
    saved = await svc.confirm_probe(TELEGRAM_ID, sub, attempt.target.as_text())
    assert saved.status is AddStatus.SAVED and saved.monitor is not None
    assert saved.monitor.target == text and len(prober.asked) == 1  # not probed again


async def test_the_limit_counts_every_kind(storage, prober):
    svc, sub = service(storage, prober, max_monitors=2), await address(storage)
    await svc.add_heartbeat(TELEGRAM_ID, sub, 60)
    assert (await svc.try_probe(TELEGRAM_ID, sub, "93.184.216.34")).status is AddStatus.SAVED
    assert not await svc.can_add(TELEGRAM_ID)
    assert (await svc.try_probe(TELEGRAM_ID, sub, "93.184.216.34")).status is AddStatus.LIMIT
    assert (await svc.confirm_probe(TELEGRAM_ID, sub, "93.184.216.35")).status is AddStatus.LIMIT
    with pytest.raises(MonitorLimitReached):
        await svc.add_heartbeat(TELEGRAM_ID, sub, 30)
    assert len(prober.asked) == 1


async def test_someone_elses_address_is_gone(storage, prober):
    svc = service(storage, prober)
    other = await storage.users.get_or_create(999, "uk")
    theirs = (await storage.subscriptions.add(other.id, "kyiv", "1.1", "Їхня")).id
    await address(storage)
    assert (await svc.try_probe(TELEGRAM_ID, theirs, "93.184.216.34")).status is AddStatus.GONE
    with pytest.raises(LookupError):
        await svc.add_heartbeat(TELEGRAM_ID, theirs, 60)
    assert prober.asked == []


def secret_of(url: str) -> str:
    return url.rsplit("/hb/", 1)[1]


async def test_a_heartbeat_gets_a_secret_url_and_a_local_base_is_flagged(storage, prober):
    sub = await address(storage)
    local = await service(storage, prober).add_heartbeat(TELEGRAM_ID, sub, 300)
    assert local.local_base and local.url.startswith("http://localhost:8080/hb/")
    assert local.monitor.secret_hash == hash_secret(secret_of(local.url))
    assert local.monitor.beat_every == timedelta(minutes=5)
    public = service(storage, prober, public_url="https://bot.example.com/")
    setup = await public.add_heartbeat(TELEGRAM_ID, sub, 30)
    assert not setup.local_base and setup.url.startswith("https://bot.example.com/hb/")
    assert len(secret_of(setup.url)) == 32 and secret_of(setup.url) != secret_of(local.url)
    with pytest.raises(ValueError):
        await public.add_heartbeat(TELEGRAM_ID, sub, 7)


async def test_a_new_link_replaces_the_old_one_at_once(storage, prober):
    svc, sub = service(storage, prober), await address(storage)
    first = await svc.add_heartbeat(TELEGRAM_ID, sub, 60)
    receiver = HeartbeatReceiver(storage.power, StepClock(NOW))
    assert await receiver.beat(secret_of(first.url))
    renewed = await svc.new_heartbeat_link(TELEGRAM_ID, first.monitor.id)
    assert renewed is not None and renewed.monitor.id == first.monitor.id
    assert renewed.url != first.url and renewed.monitor.beat_every == timedelta(minutes=1)
    assert not await HeartbeatReceiver(storage.power, StepClock(NOW)).beat(secret_of(first.url))
    assert await receiver.beat(secret_of(renewed.url))
    assert await svc.new_heartbeat_link(999, first.monitor.id) is None  # not theirs
    probe = await svc.confirm_probe(TELEGRAM_ID, sub, "93.184.216.35")
    assert probe.monitor is not None
    assert await svc.new_heartbeat_link(TELEGRAM_ID, probe.monitor.id) is None  # no link


async def test_notify_and_remove_only_ones_own(storage, prober):
    svc, sub = service(storage, prober), await address(storage)
    setup = await svc.add_heartbeat(TELEGRAM_ID, sub, 60)
    mon = setup.monitor.id
    assert await svc.set_notify(TELEGRAM_ID, mon, user=False, channel=True)
    owned = await svc.owned(TELEGRAM_ID, mon)
    assert owned is not None and (owned.monitor.notify_user, owned.monitor.notify_channel) == (
        False,
        True,
    )
    assert not await svc.set_notify(TELEGRAM_ID, mon, user=False, channel=False)
    assert not await svc.set_notify(999, mon, user=True, channel=True)
    assert not await svc.remove(999, mon)
    assert await svc.remove(TELEGRAM_ID, mon)
    assert await svc.owned(TELEGRAM_ID, mon) is None


async def test_report_compares_outages_with_the_stored_schedule(storage, prober):
    svc, sub = service(storage, prober), await address(storage)
    setup = await svc.add_heartbeat(TELEGRAM_ID, sub, 60)  # created at NOW (the storage clock)
    created = NOW - timedelta(days=10)
    async with storage.engine.begin() as conn:
        await conn.execute(
            monitors.update().where(monitors.c.id == setup.monitor.id).values(created_at=created)
        )
        await conn.execute(
            insert(power_outages).values(
                monitor_id=setup.monitor.id,
                started_at=datetime(2025, 11, 19, 6, 10, tzinfo=UTC),  # 08:10 Kyiv
                ended_at=datetime(2025, 11, 19, 8, 20, tzinfo=UTC),  # 10:20 Kyiv
                start_exact=True,
            )
        )
    day = date(2025, 11, 19)
    await storage.schedules.save(
        "kyiv", {"3.1": {day: DaySchedule(day, DayState.PUBLISHED, (Span(480, 600),))}}
    )
    reports = PowerReports(
        svc, storage.monitors, storage.schedules, RecordingChart(), StepClock(NOW), regions=(KYIV,)
    )
    report = await reports.report(TELEGRAM_ID, setup.monitor.id, "uk")
    assert report is not None and set(report.windows) == {7, 30}
    week = report.windows[7]
    assert week.count == 1 and week.total == timedelta(minutes=130)
    assert [(m.start_offset, m.end_offset) for m in week.plan.matched] == [(10, 20)]
    assert report.windows[30].watched_since == created
    row = next(d for d in report.week.days if d.day == day)
    assert row.real == (Span(490, 620),) and row.planned == (Span(480, 600),)
    assert await reports.chart_png(report.week) == b"\x89PNG fake"
    assert await reports.report(999, setup.monitor.id, "uk") is None
