"""The command handlers: each parses its arguments further and calls one piece of the app."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from esvitlo.cli.documents import load_directory, load_file, resolve_region
from esvitlo.cli.errors import CliError, SourcesDown
from esvitlo.cli.terminal import terminal_text, wants_color
from esvitlo.domain.catalogue import Catalogue, CatalogueError, Region, display_url
from esvitlo.domain.export import queue_document
from esvitlo.domain.freshness import StaleReason, assess, judge
from esvitlo.domain.model import DataStatus, QueueSchedule, RegionSnapshot, normalize_queue
from esvitlo.domain.render import render_schedule
from esvitlo.domain.replay import describe_check, replay
from esvitlo.domain.texts import texts_for
from esvitlo.settings import Settings, settings_error_line


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise CliError(f"bad setting: {settings_error_line(exc)}") from None


def _catalogue(settings: Settings) -> Catalogue:
    try:
        return settings.catalogue()
    except (OSError, CatalogueError) as exc:
        raise CliError(f"region catalogue {settings.regions_file or '(built in)'}: {exc}") from None


NO_PUBLIC_SCHEDULE = "no public schedule"


def regions(args: argparse.Namespace) -> int:
    """List every region: its sources in priority order, or that it has no public schedule.

    URLs are shown as ``display_url`` gives them (no credentials or query), also in JSON.
    """
    catalogue = _catalogue(_settings())
    if args.json:
        print(json.dumps([_region_row(r) for r in catalogue.regions], ensure_ascii=False, indent=2))
        return 0
    for region in catalogue.regions:
        print(f"{region.id:<16} {region.name_en} / {region.name_uk}")
        if not region.has_schedule:
            print(f"{'':<16} {NO_PUBLIC_SCHEDULE}")
        for priority, source in enumerate(region.sources, start=1):
            print(f"{'':<16} {priority}. {source.kind.value:<6} {display_url(source.url)}")
    with_schedule = sum(1 for r in catalogue.regions if r.has_schedule)
    print(
        f"{len(catalogue.regions)} regions: {with_schedule} with schedules, "
        f"{len(catalogue.regions) - with_schedule} with {NO_PUBLIC_SCHEDULE}"
    )
    return 0


def _region_row(region: Region) -> dict[str, object]:
    return {
        "id": region.id,
        "name_uk": region.name_uk,
        "name_en": region.name_en,
        "tz": region.tz,
        "schedule": region.has_schedule,
        "sources": [{"kind": s.kind.value, "url": display_url(s.url)} for s in region.sources],
        "aliases": list(region.aliases),
    }


def _parse_now(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(f"--now {text!r} is not an ISO 8601 time") from None
    if value.tzinfo is None:
        raise CliError(f"--now {text!r} needs a UTC offset, e.g. 2025-11-09T09:00+02:00")
    return value.astimezone(UTC)


def _queue(snapshot: RegionSnapshot, text: str) -> QueueSchedule:
    queue = normalize_queue(text)
    schedule = snapshot.queues.get(queue)
    if schedule is None:
        known = ", ".join(snapshot.queues) or "none"
        raise CliError(f"unknown queue {text!r} in {snapshot.region} (known: {known})")
    return schedule


def schedule(args: argparse.Namespace) -> int:
    """Print one queue's schedule from a saved file or from the live sources."""
    settings = _settings()
    catalogue = _catalogue(settings)
    now = _parse_now(args.now)
    if args.file:
        if len(args.args) != 1:
            raise CliError("with --file give only the QUEUE, e.g. --file kyiv.json 3.1")
        loaded = load_file(Path(args.file), catalogue, args.region)
        snapshot, status = loaded.snapshot, assess(loaded.snapshot, now, settings.freshness())
        region = loaded.region
    else:
        if len(args.args) != 2:
            raise CliError("give REGION and QUEUE, e.g. esvitlo schedule kyiv 3.1")
        region = resolve_region(catalogue, args.args[0])
        if not region.has_schedule:
            raise CliError(f"region {region.id!r} has {NO_PUBLIC_SCHEDULE} (see esvitlo regions)")
        snapshot, status = _fetch_live(settings, region, now)
    queue = _queue(snapshot, args.args[-1])
    if args.json:
        print(json.dumps(queue_document(snapshot.region, queue, status, snapshot.zone)))
        return 0
    # a live fetch that fails raises, so only the snapshot's own times can make it stale
    reason = judge(snapshot, now, settings.freshness()).reason
    html = _schedule_text(snapshot, queue, status, now, args.lang, region, stale_reason=reason)
    print(terminal_text(html, color=wants_color(sys.stdout)))
    return 0


def _fetch_live(
    settings: Settings, region: Region, now: datetime
) -> tuple[RegionSnapshot, DataStatus]:
    from esvitlo.app import configure_logging, fetch_region
    from esvitlo.services.region_fetcher import RegionUnavailable

    configure_logging("ERROR", plain=True)
    try:
        return asyncio.run(fetch_region(settings, region, now))
    except RegionUnavailable as exc:
        reasons = "".join(f"\n  {error}" for error in exc.errors)
        raise SourcesDown(f"{exc.summary}:{reasons}") from None


def _schedule_text(
    snapshot: RegionSnapshot,
    queue: QueueSchedule,
    status: DataStatus,
    now: datetime,
    lang: str,
    region: Region | None,
    *,
    stale_reason: StaleReason | None = None,
) -> str:
    return render_schedule(
        texts_for(lang),
        queue,
        queue=queue.queue,
        region=region.name(lang) if region else snapshot.region,
        zone=snapshot.zone,
        now=now,
        status=status,
        updated_at=snapshot.data_updated_at,
        stale_since=snapshot.fetched_at,
        stale_reason=stale_reason,
    )


def replay_command(args: argparse.Namespace) -> int:
    """Print one line per file: the change decision and the diff."""
    catalogue = _catalogue(_settings())
    files = load_directory(Path(args.directory), catalogue, args.region)
    queue = normalize_queue(args.queue)
    if not any(queue in f.snapshot.queues for f in files):
        raise CliError(f"unknown queue {args.queue!r}: no file in {args.directory} has it")
    snapshots = (f.snapshot for f in files)
    for loaded, (_, check) in zip(files, replay(snapshots, queue), strict=True):
        print(f"{loaded.path.name}  {describe_check(check)}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the service until interrupted."""
    from esvitlo.app import run_service

    return asyncio.run(run_service(_settings()))


def migrate(args: argparse.Namespace) -> int:
    """Apply the database migrations and print the revision reached."""
    from esvitlo.adapters.sql.engine import UnsupportedDatabaseUrl
    from esvitlo.adapters.sql.migrate import current, upgrade

    settings = _settings()
    try:
        upgrade(settings.database_url)
        revision = current(settings.database_url)
    except UnsupportedDatabaseUrl as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise SourcesDown(f"database unreachable: {exc}") from None
    print(f"database at revision {revision}")
    return 0
