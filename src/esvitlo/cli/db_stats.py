"""``esvitlo db stats``: rows, sizes and the oldest rows per table, to see growth at a glance."""

from __future__ import annotations

import argparse
import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from esvitlo.cli.errors import CliError, SourcesDown


def add_parser(sub: Any) -> None:
    """Register ``db stats``."""
    db = sub.add_parser("db", help="look at the database")
    commands = db.add_subparsers(dest="db", required=True, parser_class=sub._parser_class)
    stats = commands.add_parser("stats", help="rows, sizes and oldest rows per table")
    stats.add_argument("--database-url", help="SQLite or PostgreSQL (default: DATABASE_URL)")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    stats.set_defaults(handler=run_db_stats)


def run_db_stats(args: argparse.Namespace) -> int:
    """Print the figures of the database at ``--database-url`` (default: the settings')."""
    from esvitlo.adapters.sql.engine import UnsupportedDatabaseUrl, normalize_url

    url = args.database_url or _settings_url()
    try:
        parsed = normalize_url(url)
    except UnsupportedDatabaseUrl as exc:
        raise CliError(str(exc)) from None
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if path not in (None, "", ":memory:") and not Path(str(path)).expanduser().exists():
        raise CliError(f"no database file at {path}")
    try:
        stats = asyncio.run(_read(url))
    except OSError as exc:
        raise SourcesDown(f"database unreachable: {exc}") from None
    now = datetime.now(UTC)
    print(json.dumps(_as_json(stats, now)) if args.json else "\n".join(_as_text(stats, now)))
    return 0


def _settings_url() -> str:
    from esvitlo.settings import Settings, settings_error_line

    try:
        return Settings().database_url
    except ValueError as exc:
        raise CliError(f"bad setting: {settings_error_line(exc)}") from None


async def _read(url: str) -> Any:
    from esvitlo.adapters.sql.db_stats import database_stats
    from esvitlo.adapters.sql.engine import create_engine

    engine = create_engine(url)
    try:
        return await database_stats(engine)
    finally:
        await engine.dispose()


def human_bytes(size: int | None) -> str:
    """``12.3 MB`` style sizes; "n/a" when unknown."""
    if size is None:
        return "n/a"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_age(oldest: datetime | None, now: datetime) -> str:
    """How long ago, in the largest useful units (``3d 4h``, ``2h 5m``, ``40s``)."""
    if oldest is None:
        return "-"
    seconds = max(0, int((now - oldest).total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m {seconds}s" if minutes else f"{seconds}s"


def _as_text(stats: Any, now: datetime) -> list[str]:
    lines = [f"database: {stats.backend}, {human_bytes(stats.total_bytes)} in all", ""]
    lines.append(f"{'table':<24}{'rows':>12}{'size':>12}")
    for table in stats.tables:
        lines.append(f"{table.name:<24}{table.rows:>12,}{human_bytes(table.size_bytes):>12}")
    lines += ["", f"{'oldest row':<24}{'rows':>12}{'age':>12}"]
    for row in stats.oldest:
        lines.append(f"{row.group:<24}{row.rows:>12,}{human_age(row.oldest, now):>12}")
    return lines


def _as_json(stats: Any, now: datetime) -> dict[str, Any]:
    return {
        "backend": stats.backend,
        "total_bytes": stats.total_bytes,
        "tables": [
            {"name": t.name, "rows": t.rows, "size_bytes": t.size_bytes} for t in stats.tables
        ],
        "oldest": [
            {
                "group": row.group,
                "rows": row.rows,
                "oldest": row.oldest.isoformat() if row.oldest else None,
                "age_s": None if row.oldest is None else (now - row.oldest).total_seconds(),
            }
            for row in stats.oldest
        ],
    }
