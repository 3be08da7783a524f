"""The crash-safety test's sender process: the real OutboxSender (TelegramSender over aiogram,
LocalSendBudget) against a fake Bot API server, until the outbox is empty.

``python tests/crash_worker.py DATABASE_URL API_URL [--schema S] [--lease SECONDS] [--rate N]``
prints ``sending`` once it sends and exits 0 when no message is pending or claimed. The test
SIGKILLs it in the middle, so nothing here may rely on a clean exit.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import select

from esvitlo.adapters.chart import ScheduleChart
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import outbox
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.adapters.telegram_sender import TelegramSender
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.services.send_budget import LocalSendBudget
from esvitlo.testing.fake_telegram import DEFAULT_TOKEN


async def _waiting(storage: SqlStorage) -> bool:
    query = select(outbox.c.id).where(outbox.c.status.in_(["pending", "sending"])).limit(1)
    async with storage.engine.connect() as conn:
        return await conn.scalar(query) is not None


async def main(args: argparse.Namespace) -> None:
    clock = SystemClock()
    storage = SqlStorage.from_engine(create_engine(args.database_url, schema=args.schema), clock)
    bot = Bot(DEFAULT_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(args.api)))
    config = DeliveryConfig(lease=args.lease, tick=0.01, idle_poll=0.05)
    budget = LocalSendBudget(clock, rate=args.rate)
    telegram = TelegramSender(bot)
    alerts = AlertSender(telegram, SchedulePhotos(ScheduleChart()))  # alerts are photos
    sender = OutboxSender(storage.outbox, telegram, budget, clock, config, alerts=alerts)
    await sender.start()
    print("sending", flush=True)
    try:
        while sender.in_flight or await _waiting(storage):
            await asyncio.sleep(0.05)
    finally:
        await sender.stop()
        await bot.session.close()
        await storage.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("api")
    parser.add_argument("--schema")
    parser.add_argument("--lease", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=1000.0)
    asyncio.run(main(parser.parse_args()))
    sys.exit(0)
