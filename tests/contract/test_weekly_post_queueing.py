"""Contract: the weekly plan-versus-fact post on every backend. Opt-ins are ``app_flags``
rows found by prefix; two passes in the same week (a restart, a second leader) queue one
post per opted-in channel; a queue below the privacy floor and a channel not opted in get
none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources

from sql_backends import START, StepClock
from sqlalchemy import select
from test_change_planning import channel, subscriber
from test_power_store import probe_monitor

from esvitlo.adapters.sql.plan_fact import SqlCrowdHistory
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.catalogue import parse_catalogue
from esvitlo.domain.plan_fact_weekly import WEEKLY_POST, flag_name
from esvitlo.services.channels import ChannelService
from esvitlo.services.plan_fact import PlanFactReports
from esvitlo.services.plan_fact_weekly import WeeklyPlanFactPosts

MONDAY_0905 = datetime(2025, 11, 10, 7, 5, tzinfo=UTC)  # 09:05 in Kyiv, the Monday after START


def weekly(storage: SqlStorage, clock: StepClock) -> WeeklyPlanFactPosts:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    regions = parse_catalogue(text).regions
    reports = PlanFactReports(SqlCrowdHistory(storage.engine), storage.schedules, regions, clock)
    return WeeklyPlanFactPosts(
        storage.app_flags,
        ChannelService(storage.users, storage.subscriptions, storage.channels),
        storage.channels,
        storage.subscriptions,
        reports,
        storage.outbox,
        clock,
        {"kyiv": "Київ"},
    )


async def weekly_rows(storage: SqlStorage) -> list[dict]:
    query = select(outbox).where(outbox.c.kind == WEEKLY_POST).order_by(outbox.c.id)
    async with storage.engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(query)]


async def test_flag_names_by_prefix(storage: SqlStorage):
    await storage.app_flags.set("plan_fact_weekly:-100", "1")
    await storage.app_flags.set("plan_fact_weekly:-200", "1")
    await storage.app_flags.set("plan_factXweekly:-300", "1")  # "_" is no wildcard
    await storage.app_flags.set("pause", "1")
    assert await storage.app_flags.names("plan_fact_weekly:") == [
        "plan_fact_weekly:-100",
        "plan_fact_weekly:-200",
    ]


async def test_two_passes_in_one_week_queue_one_post_per_opted_in_channel(
    storage: SqlStorage, clock: StepClock
):
    clock.current = START - timedelta(days=14)  # the monitors watched the whole week
    owner_sub = await subscriber(storage, 1)  # queue 3.1: three users' monitors
    for telegram_id in (1, 2, 3):
        await probe_monitor(storage, telegram_id)
    small_sub = await subscriber(storage, 1, queue="4.1")  # one user only: below the floor
    await channel(storage, -100, owner_sub, ChannelStatus.ACTIVE)
    await channel(storage, -200, owner_sub, ChannelStatus.ACTIVE)  # not opted in
    await channel(storage, -300, small_sub, ChannelStatus.ACTIVE)
    await channel(storage, -400, owner_sub, ChannelStatus.PAUSED)
    for chat_id in (-100, -300, -400):
        await storage.app_flags.set(flag_name(chat_id), "1")
    posts = weekly(storage, clock)

    clock.current = MONDAY_0905 - timedelta(minutes=10)  # 08:55: not due yet
    assert await posts.run_once() == 0
    clock.current = MONDAY_0905
    assert await posts.run_once() == 1
    clock.advance(minutes=5)
    assert await weekly(storage, clock).run_once() == 0  # a restart or another leader

    rows = await weekly_rows(storage)
    assert [(r["chat_id"], r["idempotency_key"]) for r in rows] == [
        (-100, "plan_fact_weekly:2025-W45:-100")
    ]
    assert "Київ, Черга 3.1" in rows[0]["payload"]["text"]
    assert "03.11 – 09.11" in rows[0]["payload"]["text"]
