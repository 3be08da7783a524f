"""Contract: every migration since the rule's baseline is one the previous release survives.

A rolling update runs ``esvitlo migrate`` (the new version starting) while instances of the
previous version still read and write the database (docs/deploy.md, "Schema changes both
versions survive"): a release's migrations may only *expand* the schema; a *contract* step
(drop, rename, tighten) waits for the release after the one that stopped using the column.

The method: migrate an empty database (SQLite and PostgreSQL) from the baseline one revision
at a time and, after each step, compare the reflected schema with the one before it. The
previous version's code only names tables and columns that existed before the step, so it
keeps working when, for every such table and column:

- the table and the column are still there (a rename is a drop plus an add);
- the column's type is unchanged and it did not become NOT NULL (old writes may leave it
  NULL);
- a column added to an existing table is nullable or has a server default (old INSERTs
  omit it);
- no new unique constraint or index covers only old columns (old writes may duplicate).

New tables and new indexes are free. A migration that breaks any of these fails here, with
the revision and what it did; a deliberate contract step must come a release after the code
stopped using what it removes, and is then listed in ``CONTRACTED`` with that reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sql_backends import Database, drop_schema
from sqlalchemy import Connection, inspect, text

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import alembic_config, upgrade_engine

# Migrations up to this one predate the rule (one instance, stopped to upgrade); 0005 itself
# replaced monitors.secret by its hash, which this test reports when started from 0001.
BASELINE = "0005"
# (revision, problem) pairs accepted as deliberate contract steps, each with its reason.
CONTRACTED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True, slots=True)
class Column:
    type: str
    nullable: bool
    has_default: bool


@dataclass(frozen=True, slots=True)
class Table:
    columns: dict[str, Column]
    unique: frozenset[frozenset[str]]  # column sets of unique constraints and indexes


Schema = dict[str, Table]


def schema_of(connection: Connection) -> Schema:
    """The tables, columns and unique column sets the database has now."""
    inspector = inspect(connection)
    schema: Schema = {}
    for name in inspector.get_table_names():
        if name == "alembic_version":
            continue
        columns = {
            str(c["name"]): Column(
                str(c["type"]), bool(c["nullable"]), c.get("default") is not None
            )
            for c in inspector.get_columns(name)
        }
        unique = [set(u["column_names"]) for u in inspector.get_unique_constraints(name)]
        unique += [set(i["column_names"]) for i in inspector.get_indexes(name) if i["unique"]]
        unique += [set(inspector.get_pk_constraint(name)["constrained_columns"])]
        schema[name] = Table(columns, frozenset(frozenset(map(str, u)) for u in unique if u))
    return schema


def compatibility_problems(before: Schema, after: Schema) -> list[str]:
    """What in ``after`` would break code written for ``before`` (empty: nothing)."""
    problems = []
    for name, old in sorted(before.items()):
        new = after.get(name)
        if new is None:
            problems.append(f"table {name} dropped or renamed")
            continue
        for column, was in sorted(old.columns.items()):
            now = new.columns.get(column)
            if now is None:
                problems.append(f"column {name}.{column} dropped or renamed")
            elif now.type != was.type:
                problems.append(f"column {name}.{column} changed type {was.type} -> {now.type}")
            elif was.nullable and not now.nullable:
                problems.append(f"column {name}.{column} became NOT NULL")
        for column in sorted(set(new.columns) - set(old.columns)):
            added = new.columns[column]
            if not added.nullable and not added.has_default:
                problems.append(f"column {name}.{column} added NOT NULL without a server default")
        for columns in sorted(new.unique - old.unique, key=sorted):
            if columns <= set(old.columns):
                problems.append(f"table {name} got a unique constraint on {sorted(columns)}")
    return problems


def _revisions_after(baseline: str) -> list[str]:
    """The revisions after ``baseline``, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    chain = [r.revision for r in script.walk_revisions("base", "heads")][::-1]
    return chain[chain.index(baseline) + 1 :]


async def test_every_migration_since_the_baseline_keeps_the_previous_version_working(
    database: Database, tmp_path: Path
):
    schema_name = f"esvitlo_c_{uuid.uuid4().hex[:10]}" if database.backend == "postgresql" else None
    url = database.url if schema_name else f"sqlite:///{tmp_path / 'compat.db'}"
    if schema_name is not None:
        admin = create_engine(url)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
        await admin.dispose()
    engine = create_engine(url, schema=schema_name)
    try:
        await upgrade_engine(engine, BASELINE)
        async with engine.connect() as conn:
            before = await conn.run_sync(schema_of)
        found = []
        revisions = _revisions_after(BASELINE)
        for revision in revisions:
            await upgrade_engine(engine, revision)
            async with engine.connect() as conn:
                after = await conn.run_sync(schema_of)
            found += [
                f"{revision}: {problem}"
                for problem in compatibility_problems(before, after)
                if (revision, problem) not in CONTRACTED
            ]
            before = after
        # the reflection sees what a breaking migration would do on this backend
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE outbox DROP COLUMN last_error"))
            await conn.execute(
                text("ALTER TABLE outbox ADD COLUMN tries INTEGER NOT NULL DEFAULT 0")
            )
            await conn.execute(text("CREATE UNIQUE INDEX ux_outbox_kind ON outbox (kind)"))
        async with engine.connect() as conn:
            broken = compatibility_problems(before, await conn.run_sync(schema_of))
    finally:
        await engine.dispose()
        if schema_name is not None:
            await drop_schema(url, schema_name)
    assert revisions, "no migration after the baseline"
    assert found == []
    assert broken == [
        "column outbox.last_error dropped or renamed",
        "table outbox got a unique constraint on ['kind']",
    ]


def _table(**columns: Column) -> Table:
    return Table(dict(columns), frozenset({frozenset({"id"})}))


TEXT, INT = Column("TEXT", True, False), Column("INTEGER", False, False)


def test_the_check_catches_what_breaks_the_previous_version():
    before = {"users": _table(id=INT, name=TEXT), "old": _table(id=INT)}
    assert compatibility_problems(before, before) == []
    expanded = {
        "users": _table(id=INT, name=TEXT, note=TEXT, hits=Column("INTEGER", False, True)),
        "old": _table(id=INT),
        "new": _table(id=Column("INTEGER", False, False)),
    }
    assert compatibility_problems(before, expanded) == []
    broken = {
        "users": Table(
            {"id": INT, "full_name": TEXT, "name_": Column("TEXT", False, False)},
            frozenset({frozenset({"id"}), frozenset({"full_name"})}),
        ),
        "renamed": _table(id=INT),
    }
    broken["users"].columns["id"] = Column("BIGINT", False, False)
    assert compatibility_problems(before, broken) == [
        "table old dropped or renamed",
        "column users.id changed type INTEGER -> BIGINT",
        "column users.name dropped or renamed",
        "column users.name_ added NOT NULL without a server default",
    ]
    tightened = {
        "users": Table(
            {"id": INT, "name": Column("TEXT", False, True)},
            frozenset({frozenset({"id"}), frozenset({"name"})}),
        ),
        "old": _table(id=INT),
    }
    assert compatibility_problems(before, tightened) == [
        "column users.name became NOT NULL",
        "table users got a unique constraint on ['name']",
    ]
