"""``esvitlo backup PATH`` and ``esvitlo restore PATH``: a consistent copy of the running
service's database, and putting one back into an empty database (docs/deploy.md)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from esvitlo.cli.errors import CliError, SourcesDown


def add_parser(sub: Any) -> None:
    """Register ``backup`` and ``restore``."""
    backup = sub.add_parser(
        "backup",
        help="copy the database into a file while the service runs",
        description="SQLite: the online backup API; PostgreSQL: pg_dump --format=custom. "
        "The copy is one consistent moment even while the service writes.",
    )
    backup.add_argument("path", metavar="PATH", help="the backup file to write (must not exist)")
    backup.add_argument("--database-url", help="SQLite or PostgreSQL (default: DATABASE_URL)")
    backup.set_defaults(handler=run_backup)
    restore = sub.add_parser(
        "restore",
        help="put a backup into an empty database",
        description="SQLite: copy the backup into the database file; PostgreSQL: pg_restore "
        "in one transaction. The database must hold no rows; stop the service first.",
    )
    restore.add_argument("path", metavar="PATH", help="a file made by esvitlo backup")
    restore.add_argument("--database-url", help="SQLite or PostgreSQL (default: DATABASE_URL)")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    """Write a backup of the database to ``args.path``."""
    from esvitlo.adapters.sql import backup as sql_backup

    destination = Path(args.path)
    if destination.exists():
        raise CliError(f"{destination} already exists: choose a new file")
    if not destination.parent.is_dir():
        raise CliError(f"no directory {destination.parent}")
    target = _target(args.database_url)
    try:
        if target.sqlite_path is not None:
            sql_backup.backup_sqlite(target.sqlite_path, destination)
        else:
            sql_backup.pg_dump(target, destination)
    except sql_backup.BackupFailed as exc:
        raise CliError(str(exc)) from None
    print(f"backup: {target.backend} -> {destination} ({destination.stat().st_size:,} bytes)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore ``args.path`` into the (empty) database."""
    from esvitlo.adapters.sql import backup as sql_backup

    url = args.database_url or _settings_url()
    target = _target(url)
    source = Path(args.path)
    present = target.sqlite_path is None or target.sqlite_path.exists()
    tables, rows = asyncio.run(_contents(url)) if present else (0, 0)
    if rows:
        raise CliError(
            f"the {target.backend} database is not empty ({rows:,} rows): "
            "restore into a new, empty database"
        )
    try:
        if target.sqlite_path is not None:
            sql_backup.restore_sqlite(source, target.sqlite_path)
        else:
            sql_backup.pg_restore(source, target, has_tables=tables > 0)
    except sql_backup.BackupFailed as exc:
        raise CliError(str(exc)) from None
    print(f"restore: {source} -> {target.backend}; now run esvitlo migrate, then start")
    return 0


def _target(url: str | None) -> Any:
    from esvitlo.adapters.sql.backup import BackupFailed, target_of
    from esvitlo.adapters.sql.engine import UnsupportedDatabaseUrl

    try:
        return target_of(url or _settings_url())
    except (UnsupportedDatabaseUrl, BackupFailed) as exc:
        raise CliError(str(exc)) from None


def _settings_url() -> str:
    from esvitlo.settings import Settings, settings_error_line

    try:
        return Settings().database_url
    except ValueError as exc:
        raise CliError(f"bad setting: {settings_error_line(exc)}") from None


async def _contents(url: str) -> tuple[int, int]:
    """The schema's tables present in the database, and their rows in all."""
    from esvitlo.adapters.sql.db_stats import database_stats
    from esvitlo.adapters.sql.engine import create_engine

    engine = create_engine(url)
    try:
        stats = await database_stats(engine)
    except OSError as exc:
        raise SourcesDown(f"database unreachable: {exc}") from None
    finally:
        await engine.dispose()
    return len(stats.tables), sum(table.rows for table in stats.tables)
