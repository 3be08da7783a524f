"""Back a database up while the service runs, and restore a backup into an empty database.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step
under a read transaction, so the copy is one consistent moment even while senders write (WAL
readers never block writers); the copy is written next to the target and renamed into place,
and switched out of WAL mode so it is one self-contained file.

PostgreSQL: ``pg_dump --format=custom`` reads everything in one repeatable-read snapshot
(consistent while the service writes); ``pg_restore --single-transaction --exit-on-error``
puts it back or leaves the target as it was. ``--no-owner --no-privileges`` make a dump
restorable by another role. The password travels in ``PGPASSWORD``, never on a command line.
The client tools must be at least the server's major version.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from esvitlo.adapters.sql.engine import SQLITE_DRIVER, is_memory_sqlite, normalize_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
PG_DUMP_FLAGS = ("--format=custom", "--no-owner", "--no-privileges")
PG_RESTORE_FLAGS = ("--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error")


class BackupFailed(Exception):
    """A backup or restore could not be made; the message is one line for the operator."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a database lives: an SQLite file, or a PostgreSQL URL for the client tools."""

    backend: str
    sqlite_path: Path | None = None
    libpq_url: str = ""
    password: str | None = None


def target_of(url: str) -> Target:
    """The database behind ``url``; BackupFailed for an in-memory SQLite database."""
    parsed = normalize_url(url)
    if parsed.drivername == SQLITE_DRIVER:
        if is_memory_sqlite(parsed) or not parsed.database:
            raise BackupFailed("an in-memory SQLite database cannot be backed up or restored")
        return Target("sqlite", sqlite_path=Path(parsed.database).expanduser())
    return Target("postgresql", libpq_url=_libpq_url(parsed), password=parsed.password)


def _libpq_url(parsed: URL) -> str:
    plain = parsed.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False)


def backup_sqlite(source: Path, destination: Path) -> None:
    """Copy the live SQLite database ``source`` into the new file ``destination``."""
    if not source.is_file():
        raise BackupFailed(f"no SQLite database at {source}")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy_pages(source, partial)
    partial.replace(destination)


def restore_sqlite(backup: Path, target: Path) -> None:
    """Copy the SQLite backup file ``backup`` into the database file ``target``."""
    _expect_magic(backup, SQLITE_MAGIC, "an SQLite backup (made by esvitlo backup)")
    reader = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        verdict = reader.execute("PRAGMA quick_check").fetchone()
    finally:
        reader.close()
    if verdict != ("ok",):
        raise BackupFailed(f"the backup {backup} is damaged: {verdict[0] if verdict else '?'}")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy_pages(backup, target, wal=True)


def _copy_pages(source: Path, destination: Path, *, wal: bool = False) -> None:
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(destination)
    try:
        reader.backup(writer)  # every page in one step: one consistent moment
        writer.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
    except sqlite3.Error as exc:
        raise BackupFailed(f"SQLite copy failed: {exc}") from None
    finally:
        writer.close()
        reader.close()


def pg_dump(target: Target, destination: Path) -> None:
    """Dump the PostgreSQL database into ``destination`` (custom format)."""
    partial = destination.with_name(destination.name + ".partial")
    _run_tool("pg_dump", [*PG_DUMP_FLAGS, f"--file={partial}", target.libpq_url], target)
    partial.replace(destination)


def pg_restore(backup: Path, target: Target, *, has_tables: bool) -> None:
    """Restore the custom-format dump ``backup`` into the PostgreSQL database; ``has_tables``
    (empty tables, such as after ``esvitlo migrate``) drops them first."""
    _expect_magic(backup, PG_CUSTOM_MAGIC, "a PostgreSQL backup (pg_dump --format=custom)")
    clean = ("--clean", "--if-exists") if has_tables else ()
    args = [*PG_RESTORE_FLAGS, *clean, f"--dbname={target.libpq_url}", str(backup)]
    _run_tool("pg_restore", args, target)


def _run_tool(tool: str, args: list[str], target: Target) -> None:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupFailed(
            f"{tool} not found: install the PostgreSQL client tools "
            "(Debian: postgresql-client, the server's major version or newer)"
        )
    env = dict(os.environ)
    if target.password is not None:
        env["PGPASSWORD"] = target.password
    done = subprocess.run(  # noqa: S603 - a fixed tool with our own arguments
        [executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupFailed(f"{tool} failed: {lines[0] if lines else f'exit {done.returncode}'}")


def _expect_magic(path: Path, magic: bytes, what: str) -> None:
    if not path.is_file():
        raise BackupFailed(f"no backup file at {path}")
    with path.open("rb") as file:
        if file.read(len(magic)) != magic:
            raise BackupFailed(f"{path} is not {what}")
