"""``esvitlo migrate-data SQLITE_URL POSTGRES_URL``: move an embedded install onto PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, TextIO

from esvitlo.cli.errors import CliError, SourcesDown


def add_parser(sub: Any) -> None:
    """Register the ``migrate-data`` command."""
    parser = sub.add_parser(
        "migrate-data",
        help="copy an SQLite database into an empty PostgreSQL one",
        description="Migrate both databases to the newest schema, then copy every row of the "
        "SQLite database into the PostgreSQL one, which must be empty. Stop the service first.",
    )
    parser.add_argument("source", metavar="SQLITE_URL", help="e.g. sqlite:///./data/esvitlo.db")
    parser.add_argument("target", metavar="POSTGRES_URL", help="e.g. postgresql://USER@HOST/DB")
    parser.set_defaults(handler=run)


def _check_urls(source: str, target: str) -> None:
    from esvitlo.adapters.sql.engine import (
        POSTGRES_DRIVER,
        SQLITE_DRIVER,
        UnsupportedDatabaseUrl,
        is_memory_sqlite,
        normalize_url,
    )

    try:
        source_url, target_url = normalize_url(source), normalize_url(target)
    except UnsupportedDatabaseUrl as exc:
        raise CliError(str(exc)) from None
    if source_url.drivername != SQLITE_DRIVER or is_memory_sqlite(source_url):
        raise CliError(f"the source must be an SQLite file URL (sqlite:///PATH), got {source!r}")
    if target_url.drivername != POSTGRES_DRIVER:
        raise CliError(f"the target must be a PostgreSQL URL (postgresql://...), got {target!r}")
    assert source_url.database is not None
    if not Path(source_url.database).expanduser().is_file():
        raise CliError(f"no SQLite database at {source_url.database}")


async def migrate_data(
    source: str, target: str, *, target_schema: str | None = None, out: TextIO = sys.stdout
) -> int:
    """Copy ``source`` into ``target`` (its ``target_schema`` when given) and print the rows
    copied per table; raise CliError for bad URLs or a target with data."""
    from esvitlo.adapters.sql.copy import TargetNotEmpty, copy_database
    from esvitlo.adapters.sql.engine import create_engine

    _check_urls(source, target)
    source_engine = create_engine(source)
    target_engine = create_engine(target, schema=target_schema)
    try:
        counts = await copy_database(
            source_engine,
            target_engine,
            progress=lambda table, rows: print(f"{table:<24} {rows:>10}", file=out, flush=True),
        )
    except TargetNotEmpty as exc:
        raise CliError(f"{exc}: copy into a new, empty database") from None
    except OSError as exc:
        raise SourcesDown(f"database unreachable: {exc}") from None
    finally:
        await source_engine.dispose()
        await target_engine.dispose()
    print(f"{'total':<24} {sum(counts.values()):>10}", file=out)
    return 0


def run(args: argparse.Namespace) -> int:
    """The command's handler."""
    return asyncio.run(migrate_data(args.source, args.target))
