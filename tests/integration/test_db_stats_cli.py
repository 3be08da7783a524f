"""``esvitlo db stats`` through the command line on a migrated SQLite file: the table, the
JSON shape, and one error line with exit code 2 for a wrong URL or a missing file."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from esvitlo.adapters.sql.migrate import upgrade
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.cli import main
from esvitlo.cli.db_stats import human_age, human_bytes

from step_clock import StepClock


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A migrated SQLite file with two users, the first three days old."""
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    upgrade(url)

    async def fill() -> None:
        clock = StepClock(datetime.now(UTC) - timedelta(days=3, hours=2))
        storage = SqlStorage.open(url, clock)
        try:
            await storage.users.get_or_create(10, "uk")
            clock.current = datetime.now(UTC)
            await storage.users.get_or_create(11, "en")
        finally:
            await storage.close()

    asyncio.run(fill())
    return url


def test_db_stats_prints_rows_sizes_and_ages(capsys, database: str):
    code, out, err = _run(capsys, "db", "stats", "--database-url", database)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("database: sqlite, ") and lines[0].endswith(" in all")
    users = next(line.split() for line in lines if line.startswith("users "))
    assert users[1] == "2" and users[3] == "KB"  # "users  2  4.0 KB"
    oldest_users = [line.split() for line in lines if line.startswith("users ")][1]
    assert oldest_users[1:] == ["2", "3d", "2h"]
    assert any(line.startswith("outbox ") for line in lines)


def test_db_stats_json(capsys, database: str):
    code, out, _ = _run(capsys, "db", "stats", "--database-url", database, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["backend"] == "sqlite" and doc["total_bytes"] > 0
    tables = {t["name"]: t for t in doc["tables"]}
    assert tables["users"]["rows"] == 2 and tables["users"]["size_bytes"] > 0
    users = next(row for row in doc["oldest"] if row["group"] == "users")
    assert users["rows"] == 2 and 3 * 86_400 < users["age_s"] < 3.2 * 86_400


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://x/y", "unsupported database URL scheme"), ("sqlite:///{missing}", "no database")],
)
def test_db_stats_bad_url_is_one_error_line(capsys, tmp_path: Path, url: str, message: str):
    url = url.format(missing=tmp_path / "nope.db")
    code, out, err = _run(capsys, "db", "stats", "--database-url", url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.parametrize(
    ("size", "text"), [(None, "n/a"), (512, "512 B"), (4096, "4.0 KB"), (3 << 30, "3.0 GB")]
)
def test_human_bytes(size, text):
    assert human_bytes(size) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(40, "40s"), (125, "2m 5s"), (7500, "2h 5m"), (2 * 86_400 + 3600, "2d 1h")],
)
def test_human_age(seconds, text):
    now = datetime(2025, 11, 9, tzinfo=UTC)
    assert human_age(now - timedelta(seconds=seconds), now) == text
    assert human_age(None, now) == "-"
