"""The weekly plan-versus-fact report (services.plan_fact over fakes) and its /stats section
in both languages: the window is seven local days, reports are kept briefly, queues below the
privacy floor never appear, the queues furthest from plan are listed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib import resources

from esvitlo.domain.catalogue import parse_catalogue
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import PowerOutage
from esvitlo.domain.plan_fact import MonitorHistory, QueueHistory
from esvitlo.domain.plan_fact_render import plan_fact_section
from esvitlo.domain.texts import bot_texts_for, texts_for
from esvitlo.services.plan_fact import PlanFactReports

from step_clock import StepClock

NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv
DAY = date(2026, 12, 5)
EARLY = NOW - timedelta(days=30)
OUTAGE = PowerOutage(
    datetime(2026, 12, 5, 8, 0, tzinfo=UTC), datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
)


class FakeHistory:
    """ports.CrowdHistory: fixed queues; remembers the windows asked for."""

    def __init__(self, queues: list[QueueHistory]) -> None:
        self.queues = queues
        self.asked: list[tuple[datetime, datetime, int]] = []

    async def histories(self, since, until, min_users, region=None):
        self.asked.append((since, until, min_users))
        for found in self.queues:
            yield found


class FakeSchedules:
    """The part of ports.ScheduleStore the report reads."""

    async def load(self, region):
        planned = DaySchedule(DAY, DayState.PUBLISHED, (Span(600, 840),))  # 10:00–14:00
        return {"3.1": {DAY: planned}, "4.1": {}}


def queue(name: str, *users: int, outage: PowerOutage | None = OUTAGE) -> QueueHistory:
    outages = (outage,) if outage else ()
    return QueueHistory("kyiv", name, tuple(MonitorHistory(u, EARLY, outages) for u in users))


def reports(history: FakeHistory, clock: StepClock) -> PlanFactReports:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    regions = parse_catalogue(text).regions
    return PlanFactReports(history, FakeSchedules(), regions, clock)


async def test_the_week_is_seven_local_days_and_is_kept_for_ten_minutes():
    history = FakeHistory([queue("3.1", 1, 2, 3), queue("4.1", 1, 2)])
    clock = StepClock(NOW)
    report = await reports(history, clock).week()
    assert history.asked == [(datetime(2026, 11, 29, 22, 0, tzinfo=UTC), NOW, 3)]
    (found,) = report.queues  # 4.1 has two users: below the floor
    assert found.queue == "3.1" and len(found.days) == 7
    assert found.planned == timedelta(hours=4) and found.compared_fact == timedelta(hours=5)
    assert (found.starts_on_time, found.starts_seen, found.ends_on_time, found.ends_seen) == (
        1,
        1,
        0,
        1,
    )
    service = reports(history, clock)
    await service.week()
    clock.advance(minutes=9)
    await service.week()
    assert len(history.asked) == 2
    clock.advance(minutes=2)
    await service.week()
    assert len(history.asked) == 3


async def test_the_stats_section_in_both_languages():
    history = FakeHistory([queue("3.1", 1, 2, 3)])
    found = (await reports(history, StepClock(NOW)).week()).queues
    names = {"kyiv": "Київ <м.>"}
    uk = plan_fact_section(found, names, bot_texts_for("uk"), texts_for("uk"))
    assert "План і факт за 7 днів" in uk and "трьох користувачів: 1)" in uk
    assert "за фактом 5 год, за графіком 4 год" in uk
    assert "Почалися вчасно (±15 хв): 1 з 1; закінчилися вчасно: 0 з 1" in uk
    assert "Київ &lt;м.&gt;, Черга 3.1: за фактом 5 год, за графіком 4 год" in uk
    en = plan_fact_section(found, {}, bot_texts_for("en"), texts_for("en"))
    assert "Began on time (±15 min): 1 of 1; ended on time: 0 of 1" in en
    assert "kyiv, Queue 3.1: 5 h in fact, 4 h by the schedule" in en
    assert "жодна черга" in plan_fact_section((), {}, bot_texts_for("uk"), texts_for("uk"))
