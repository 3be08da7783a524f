"""/health/ready and /metrics of a running Service, and delivery outcomes per kind."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiogram import Bot
from prometheus_client.parser import text_string_to_metric_families

from esvitlo.app import Service
from esvitlo.settings import Settings
from esvitlo.testing.fake_telegram import FakeTelegram
from esvitlo.web.metrics import MetricSources, ServiceMetrics

from delivery_rig import deliver_all, make_sender, open_storage, until
from schedule_server import FixtureServer, Reply, kyiv_catalogue

pytest_plugins = ("fake_bot",)

A1227 = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"


def _settings(tmp_path: Path, server: FixtureServer) -> Settings:
    regions = kyiv_catalogue(tmp_path, server.url("kyiv.json"))
    return Settings(
        ESVITLO_REGIONS_FILE=regions,
        ESVITLO_FETCH_ATTEMPTS=1,
        ESVITLO_FETCH_TIMEOUT=2,
        ESVITLO_POLL_INTERVAL=60,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=0,
        METRICS_PORT=0,
        BOT_TOKEN=None,
        REDIS_URL=None,
    )


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def _get(port: int, path: str) -> tuple[int, str, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, response.headers["Content-Type"], await response.text()


async def test_a_running_service_reports_readiness_and_metrics(server, tmp_path):
    server.replies["kyiv.json"] = Reply(file=A1227)
    service = Service(_settings(tmp_path, server))
    await service.start()
    try:
        assert service.http_port is not None and service.metrics_port is not None
        port = service.metrics_port
        await until(lambda: service.watch.stats["kyiv"].last_success is not None)

        status, kind, text = await _get(port, "/health/ready")
        assert status == 200 and kind.startswith("application/json")
        body = json.loads(text)
        assert body["status"] == "ready"
        assert set(body["checks"]) == {"database", "schedules", "outbox"}
        assert body["checks"]["database"] == {"ok": True, "critical": True}
        assert body["checks"]["schedules"]["regions"]["kyiv"]["runs"] >= 1
        assert body["checks"]["outbox"]["oldest_pending_age_s"] is None

        status, kind, text = await _get(port, "/metrics")
        assert status == 200 and kind.startswith("text/plain")
        samples = _samples(text)
        assert samples[("schedule_checks_total", (("region", "kyiv"), ("result", "ok")))] >= 1
        assert samples[("fetch_duration_seconds_count", (("region", "kyiv"),))] >= 1
        assert samples[("outbox_pending", ())] == 0
        assert samples[("leader", ())] == 1

        await service.watch.stop()  # the scheduler is gone: not ready any more
        status, _, text = await _get(port, "/health/ready")
        assert status == 503 and '"running": false' in text
    finally:
        await service.stop()


async def test_metrics_and_readiness_are_served_on_the_private_listener_only(server, tmp_path):
    service = Service(_settings(tmp_path, server))
    await service.start()
    try:
        public, private = service.http_port, service.metrics_port
        assert public is not None and private is not None and public != private
        for path in ("/metrics", "/health/ready"):
            assert (await _get(public, path))[0] == 404
            assert (await _get(private, path))[0] in (200, 503)
        assert (await _get(public, "/health"))[0] == (await _get(private, "/health"))[0] == 200
    finally:
        await service.stop()


async def test_readiness_fails_while_the_database_takes_no_writes(server, tmp_path):
    server.replies["kyiv.json"] = Reply(file=A1227)
    service = Service(_settings(tmp_path, server))
    await service.start()
    try:
        port = service.metrics_port
        assert port is not None
        await until(lambda: service.watch.stats["kyiv"].last_success is not None)
        holder = sqlite3.connect(tmp_path / "db.sqlite", isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")  # reads still work; no write gets through
            status, _, text = await _get(port, "/health/ready")
            holder.execute("ROLLBACK")
        finally:
            holder.close()
        assert status == 503
        database = json.loads(text)["checks"]["database"]
        assert database == {
            "ok": False,
            "critical": True,
            "error": "OperationalError: database is locked",
        }
        assert (await _get(port, "/health/ready"))[0] == 200
    finally:
        await service.stop()


async def test_oldest_pending_due_counts_only_due_pending_messages(tmp_path):
    storage = await open_storage(tmp_path)
    try:
        assert await storage.outbox.oldest_pending_due(datetime.now(UTC)) is None
        user = await storage.users.get_or_create(1001, "uk")
        assert user.active
        early = datetime(2025, 11, 9, 8, 0, tzinfo=UTC)
        await storage.outbox.enqueue_broadcast("one", early, broadcast_id="one")
        await storage.outbox.enqueue_broadcast("two", datetime(2025, 11, 9, 9, tzinfo=UTC), "two")
        oldest = storage.outbox.oldest_pending_due
        assert await oldest(datetime(2025, 11, 9, 8, 30, tzinfo=UTC)) == early
        assert await oldest(datetime(2025, 11, 9, 7, tzinfo=UTC)) is None
    finally:
        await storage.close()


async def test_delivery_outcomes_are_counted_per_kind(
    fake: FakeTelegram, make_bot: Callable[..., Bot], tmp_path: Path
):
    storage = await open_storage(tmp_path)
    try:
        blocked, *others = [fake.create_user(f"User {n}").id for n in range(4)]
        for telegram_id in (blocked, *others):
            await storage.users.get_or_create(telegram_id, "uk")
        fake.set_chat_state(blocked, "blocked")
        fake.fail("sendMessage", status=429, retry_after=1, times=1)
        await storage.outbox.enqueue_broadcast("Світло є", datetime.now(UTC), broadcast_id="x")
        sender = make_sender(storage, make_bot(fake), rate=200)
        await deliver_all(sender, storage)
        metrics = ServiceMetrics(
            MetricSources(
                regions=dict, delivery=lambda: sender, outbox_pending=storage.outbox.pending_count
            )
        )
        samples = _samples((await metrics.render()).decode())
    finally:
        await storage.close()
    sent = "notifications_sent_total"
    assert samples[(sent, (("kind", "broadcast"), ("result", "sent")))] == 3
    assert samples[(sent, (("kind", "broadcast"), ("result", "deactivated")))] == 1
    assert samples[(sent, (("kind", "broadcast"), ("result", "rate_limited")))] == 1
    assert samples[("telegram_429_total", ())] == 1
    assert samples[("outbox_pending", ())] == 0
