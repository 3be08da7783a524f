"""The real command line against a local schedule server: live `schedule` and `run`."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from instance_cluster import Instance
from schedule_server import FixtureServer, Reply, shifted_fixture

A1227 = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"
YASNO = "yasno/planned-outages_kyiv_group6.2_excerpt_2025-12-26.json"


def _catalogue(tmp_path: Path, server: FixtureServer) -> dict[str, str]:
    path = tmp_path / "regions.toml"
    path.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{server.url("kyiv.json")}"\n'
        f'[[regions.sources]]\nkind = "yasno"\nurl = "{server.url("yasno.json")}"\n',
        encoding="utf-8",
    )
    return {
        **os.environ,
        "ESVITLO_REGIONS_FILE": str(path),
        "ESVITLO_FETCH_ATTEMPTS": "1",
        "ESVITLO_FETCH_TIMEOUT": "2",
        "ESVITLO_POLL_INTERVAL": "0.3",
    }


async def _cli(env: dict[str, str], *argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "esvitlo", *argv, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, out.decode(), err.decode()


async def test_live_schedule_reads_the_first_source(server, tmp_path):
    server.replies["kyiv.json"] = Reply(file=A1227)
    env = _catalogue(tmp_path, server)
    code, out, _ = await _cli(
        env, "schedule", "kyiv", "3.1", "--json", "--now", "2025-11-20T20:00+02:00"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["days"][0]["outages"][0] == {
        "start": "2025-11-20T03:00:00+02:00",
        "end": "2025-11-20T10:30:00+02:00",
    }
    assert doc["status"] == "fresh"


async def test_live_schedule_falls_back_to_yasno_when_the_feed_is_down(server, tmp_path):
    server.replies["kyiv.json"] = Reply(status=503)
    server.replies["yasno.json"] = Reply(file=YASNO)
    env = _catalogue(tmp_path, server)
    now = "2025-12-26T12:00+02:00"
    code, out, _ = await _cli(env, "schedule", "kyiv", "6.2", "--lang", "en", "--now", now)
    assert code == 0
    assert "05:00–06:30 (1 h 30 min)" in out and "13:30–17:30 (4 h)" in out


async def test_live_schedule_with_every_source_down_is_one_line_and_one_per_source(
    server, tmp_path
):
    env = _catalogue(tmp_path, server)
    code, out, err = await _cli(env, "schedule", "kyiv", "3.1")
    assert code == 1 and out == "" and "Traceback" not in err
    first, *sources = err.splitlines()
    assert "no source answered" in first
    assert len(sources) == 2  # the catalogue's two sources, each on a short line of its own
    assert all(line.startswith("  http://127.0.0.1:") for line in sources)


async def test_run_without_a_token_serves_calendars_and_the_api_and_keeps_the_last_good(
    server, tmp_path
):
    """No BOT_TOKEN: the service runs without Telegram, says how to get a token, watches the
    schedule and serves it; when the feed then fails, the calendar stays the last good one."""
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    server.replies["kyiv.json"] = Reply(raw=shifted_fixture(A1227, today))
    env = _catalogue(tmp_path, server) | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": "0",
        "METRICS_PORT": "0",
        "ESVITLO_LOG_FORMAT": "console",
        "LOG_LEVEL": "INFO",
    }
    env.pop("BOT_TOKEN", None)
    instance = Instance("no-token", env)
    await instance.start()
    try:
        async with aiohttp.ClientSession() as session:
            calendar = await _poll_ok(instance, session, "/calendar/kyiv/3.1.ics")
            api = await _poll_ok(instance, session, "/api/v1/regions/kyiv/queues/3.1/schedule")
            assert any(day["intervals"] for day in json.loads(api)["days"]), api
            assert b"BEGIN:VEVENT" in calendar
            server.replies["kyiv.json"] = Reply(status=503)
            server.replies["yasno.json"] = Reply(status=503)
            failed = server.hits["kyiv.json"]
            async with asyncio.timeout(20):
                while server.hits["kyiv.json"] < failed + 2:
                    await asyncio.sleep(0.1)
            assert await _poll_ok(instance, session, "/calendar/kyiv/3.1.ics") == calendar
        assert instance.logged("app.no_bot_token") == 1
        text = "\n".join(instance.lines)
        assert "@BotFather" in text and "/newbot" in text
    finally:
        await instance.stop()
    assert instance.process is not None and instance.process.returncode == 0


async def _poll_ok(instance: Instance, session: aiohttp.ClientSession, path: str) -> bytes:
    """The body of the first 200 for ``path`` (the first check may still be running)."""
    async with asyncio.timeout(60):
        while instance.port is None or not instance.alive:
            assert instance.process is None or instance.process.returncode is None, instance.lines
            await asyncio.sleep(0.05)
        while True:
            async with session.get(f"http://127.0.0.1:{instance.port}{path}") as answer:
                if answer.status == 200:
                    return await answer.read()
            await asyncio.sleep(0.1)


@pytest.mark.parametrize("secret", ["", "not allowed!"])
async def test_run_in_webhook_mode_refuses_a_missing_or_malformed_secret(server, tmp_path, secret):
    env = _catalogue(tmp_path, server) | {
        "BOT_TOKEN": "123456:AAE-very-secret-token",
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example/tg",
        "WEBHOOK_SECRET": secret,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
    }
    code, out, err = await _cli(env, "run")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("esvitlo: error: bad setting: WEBHOOK_SECRET")
    assert "very-secret-token" not in err
    assert not (tmp_path / "db.sqlite").exists()  # refused before anything started


async def test_migrate_creates_the_embedded_database(server, tmp_path):
    env = _catalogue(tmp_path, server)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'sub' / 'db.sqlite'}"
    code, out, _ = await _cli(env, "migrate")
    assert code == 0 and out.startswith("database at revision ")
    assert (tmp_path / "sub" / "db.sqlite").is_file()
    code, again, _ = await _cli(env, "migrate")
    assert code == 0 and again == out
