"""Svitlobot-compatible heartbeats: ``/channelPing?channel_key=KEY`` beats the monitor whose
heartbeat secret KEY is, through the same receiver (hash lookup, rate limit) as ``/hb/<KEY>``,
and tells a guesser nothing; the key never reaches a log line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiohttp
from test_http_edge import _listener, _serve

from esvitlo.adapters.logs import REDACTED, redact
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.services.heartbeats import HeartbeatReceiver
from esvitlo.web import build_public_app

from step_clock import StepClock

KEY = "Svitlobot-key_0123456789abcdefXYZ"


async def test_channel_ping_beats_the_monitor_of_its_key(tmp_path: Path) -> None:
    clock = StepClock()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'db.sqlite'}", clock)
    await upgrade_engine(storage.engine)
    user = await storage.users.get_or_create(1, "uk")
    sub = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    minute = timedelta(minutes=1)
    monitor = await storage.monitors.add(
        user.id, sub.id, MonitorKind.HEARTBEAT, "", hash_secret(KEY), minute
    )
    listener = _listener(build_public_app(heartbeat=HeartbeatReceiver(storage.power, clock).beat))
    base = await _serve(listener)
    try:
        async with aiohttp.ClientSession() as http:
            ping = f"{base}/channelPing"
            async with http.get(ping, params={"channel_key": KEY, "voltage": "229.5"}) as ok:
                assert (ok.status, await ok.text()) == (200, "ok\n")
            for params in ({"channel_key": "x" * 32}, {}, {"key": KEY}):
                async with http.get(ping, params=params) as unknown:
                    assert unknown.status == 404, params
    finally:
        await listener.stop()
    [(watched, _)] = await storage.power.watched()
    assert watched.monitor.id == monitor.id and watched.monitor.last_beat_at == clock.now()
    await storage.close()


def test_the_key_is_redacted_from_log_lines() -> None:
    line = f"GET /channelPing?channel_key={KEY}&voltage=230 200"
    assert redact(line) == f"GET /channelPing?channel_key={REDACTED}&voltage=230 200"
