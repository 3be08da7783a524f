"""The real command line against a local schedule server: live `schedule` and `run`."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from schedule_server import FixtureServer, Reply

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


async def test_run_without_a_token_explains_how_to_get_one(server, tmp_path):
    env = _catalogue(tmp_path, server)
    env.pop("BOT_TOKEN", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite'}"
    code, out, err = await _cli(env, "run")
    assert code == 2 and out == ""
    assert "@BotFather" in err and "/newbot" in err and "esvitlo demo" in err


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
