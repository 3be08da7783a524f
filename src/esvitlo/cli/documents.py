"""Read saved schedule documents for the command line, with one clear error for bad input."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from esvitlo.cli.errors import CliError
from esvitlo.domain.catalogue import Catalogue, Region
from esvitlo.domain.documents import (
    SourceKind,
    decode_json,
    detect_kind,
    parse_document,
    region_hint,
)
from esvitlo.domain.model import RegionSnapshot, ScheduleFormatError

DEFAULT_TZ = "Europe/Kyiv"


@dataclass(frozen=True, slots=True)
class LoadedFile:
    """A parsed file and the region it belongs to (None when neither named nor known)."""

    path: Path
    snapshot: RegionSnapshot
    region: Region | None


def resolve_region(catalogue: Catalogue, region_id: str) -> Region:
    """The catalogue region with this id; CliError naming the known ids otherwise."""
    region = catalogue.get(region_id)
    if region is None:
        known = ", ".join(r.id for r in catalogue.regions)
        raise CliError(f"unknown region {region_id!r} (known: {known})")
    return region


def load_file(path: Path, catalogue: Catalogue, region_id: str | None) -> LoadedFile:
    """Read, decode and parse one file; CliError for a missing file or a wrong shape."""
    region = resolve_region(catalogue, region_id) if region_id else None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        doc = decode_json(raw)
        hint = region_hint(doc)
        if region is None and hint:
            region = catalogue.find(hint)
        region_name = region.id if region else str(hint)
        snapshot = parse_document(doc, region=region_name, tz=region.tz if region else DEFAULT_TZ)
        if region is None and not hint:
            region = _only_region_reading(catalogue, detect_kind(doc), path)
            snapshot = parse_document(doc, region=region.id, tz=region.tz)
    except ScheduleFormatError as exc:
        raise CliError(f"{path}: {exc}") from None
    return LoadedFile(path, snapshot, region)


def _only_region_reading(catalogue: Catalogue, kind: SourceKind, path: Path) -> Region:
    """The one region with a source of this format, for a file that does not name its region;
    CliError naming the ``--region`` values to choose from when there are several."""
    regions = [r for r in catalogue.regions if any(s.kind is kind for s in r.sources)]
    if len(regions) == 1:
        return regions[0]
    choices = ", ".join(r.id for r in regions) or ", ".join(r.id for r in catalogue.regions)
    raise CliError(
        f"{path}: a {kind.value.upper()} file does not say which region it is; "
        f"pass --region (one of: {choices})"
    )


def load_directory(
    directory: Path, catalogue: Catalogue, region_id: str | None
) -> list[LoadedFile]:
    """Every ``*.json`` file of a directory in name order."""
    if not directory.is_dir():
        raise CliError(f"{directory}: not a directory")
    files = sorted(p for p in directory.iterdir() if p.suffix == ".json" and p.is_file())
    if not files:
        raise CliError(f"{directory}: no .json files")
    return [load_file(p, catalogue, region_id) for p in files]
