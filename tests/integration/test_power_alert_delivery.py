"""A power alert end to end below the bot: a router stops answering, the watch confirms it,
the outbox sender delivers the alert through the real aiogram client to the fake Bot API
server, to the owner and to their linked channel, once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from test_power_watch import ScriptedProber

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.monitors import MonitorKind
from esvitlo.domain.power import Debounce
from esvitlo.domain.probing import ProbeVerdict
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.power_watch import PowerWatch
from esvitlo.services.send_budget import LocalSendBudget
from esvitlo.testing.fake_telegram import FakeTelegram

from delivery_rig import FAST, KYIV, texts_to
from step_clock import StepClock

pytest_plugins = ("fake_bot",)

START = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[SqlStorage]:
    engine = create_engine(f"sqlite:///{tmp_path / 'power.db'}")
    await upgrade_engine(engine)
    repositories = SqlStorage.from_engine(engine, StepClock(START))
    yield repositories
    await repositories.close()


async def test_router_silence_reaches_owner_and_channel_once(
    storage: SqlStorage, fake: FakeTelegram, make_bot: Callable[..., Bot]
):
    owner = fake.create_user("Олена").id
    channel = fake.create_chat("channel", "Світло на Лесі", owner_id=owner).id
    user = await storage.users.get_or_create(owner, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
    await storage.channels.add_pending(channel, user.id, "Світло на Лесі")
    await storage.channels.link(channel, sub.id)
    await storage.channels.set_status(channel, ChannelStatus.ACTIVE)
    await storage.monitors.add(
        user.id, sub.id, MonitorKind.PROBE, "93.184.216.34", None, timedelta(seconds=60)
    )
    clock = storage.monitors._clock
    prober = ScriptedProber()
    watch = PowerWatch(
        storage.power, prober, storage.schedules, [KYIV], clock, interval=30, debounce=Debounce()
    )
    budget = LocalSendBudget(clock, rate=500, private_interval=0, group_interval=0)
    bot = make_bot(fake)
    sender = OutboxSender(
        storage.outbox, TelegramSender(bot), budget, clock, DeliveryConfig(**FAST)
    )
    await sender.start()
    try:
        for verdict in [ProbeVerdict.ANSWERED] * 3 + [ProbeVerdict.SILENT] * 4:
            prober.verdicts["93.184.216.34"] = verdict
            await watch.run_cycle()
        await fake.wait_until(lambda: texts_to(fake, owner) and texts_to(fake, channel))
        await asyncio.sleep(0.2)  # nothing more may come
    finally:
        await sender.stop()
    [to_owner] = texts_to(fake, owner)
    [to_channel] = texts_to(fake, channel)
    assert to_owner == to_channel
    assert to_owner.startswith("🔴 Світло зникло о ")  # the fake shows text without markup
    assert to_owner.splitlines()[0].endswith(" · Дім")
