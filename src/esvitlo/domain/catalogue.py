"""Region catalogue: which regions exist and where their schedules come from."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.documents import SourceKind

NO_QUEUE = ""
"""The queue of an address in a region without a schedule: there are no queues to follow,
and the address serves power detection at home."""


class CatalogueError(ValueError):
    """The region catalogue file is malformed."""


@dataclass(frozen=True, slots=True)
class Source:
    """One place a region's schedule can be fetched from."""

    kind: SourceKind
    url: str


@dataclass(frozen=True, slots=True)
class AddressSource:
    """Where a region's addresses are looked up: the API's base ``url`` and the ids it
    needs (YASNO: ``region_id``, ``dso_id``; DTEK and PowerOn: the ``city`` as they name it)."""

    kind: LookupKind
    url: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


_LOOKUP_PARAMS = {
    LookupKind.YASNO: ("region_id", "dso_id"),
    LookupKind.DTEK: ("city",),
    LookupKind.POWERON: ("city",),
    LookupKind.CHERKASY: (),
}


@dataclass(frozen=True, slots=True)
class Region:
    """A region with its names, time zone and sources in priority order."""

    id: str
    name_uk: str
    name_en: str
    tz: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    lookups: tuple[AddressSource, ...] = ()

    @property
    def has_schedule(self) -> bool:
        """Whether any source publishes this region's schedule; a region without one is
        still listed, so its people can choose it and use power detection at home."""
        return bool(self.sources)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_uk


@dataclass(frozen=True, slots=True)
class Catalogue:
    """All regions, in display order."""

    regions: tuple[Region, ...]

    def get(self, region_id: str) -> Region | None:
        for region in self.regions:
            if region.id == region_id:
                return region
        return None

    def find(self, hint: str) -> Region | None:
        """A region by id, alias or English name, ignoring case (feeds name themselves by
        city or operator: the aliases hold those names)."""
        wanted = hint.strip().casefold()
        for region in self.regions:
            names = (region.id, region.name_en, *region.aliases)
            if wanted in {n.casefold() for n in names}:
                return region
        return None


def _text(table: dict[str, object], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' must be a non-empty string")
    return value


def _source(raw: object, where: str) -> Source:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a table")
    kind = _text(raw, "kind", where)
    url = _text(raw, "url", where)
    try:
        return Source(SourceKind(kind), url)
    except ValueError as exc:
        known = ", ".join(k.value for k in SourceKind)
        raise CatalogueError(f"{where}: unknown kind {kind!r} (known: {known})") from exc


def _lookup(raw: object, where: str) -> AddressSource:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a table")
    kind = _text(raw, "kind", where)
    try:
        lookup_kind = LookupKind(kind)
    except ValueError as exc:
        known = ", ".join(k.value for k in LookupKind)
        raise CatalogueError(f"{where}: unknown kind {kind!r} (known: {known})") from exc
    params = tuple((name, str(raw[name])) for name in _LOOKUP_PARAMS[lookup_kind] if name in raw)
    missing = [n for n in _LOOKUP_PARAMS[lookup_kind] if not dict(params).get(n)]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    return AddressSource(lookup_kind, _text(raw, "url", where), params)


def _region(raw: object, index: int) -> Region:
    where = f"region #{index + 1}"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a table")
    region_id = _text(raw, "id", where)
    where = f"region {region_id!r}"
    tz = str(raw.get("tz", "Europe/Kyiv"))
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CatalogueError(f"{where}: unknown time zone {tz!r}") from exc
    sources = raw.get("sources", [])  # none: the operator publishes nothing we can read
    if not isinstance(sources, list):
        raise CatalogueError(f"{where}: 'sources' must be [[regions.sources]] tables")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CatalogueError(f"{where}: 'aliases' must be a list of strings")
    lookups = raw.get("lookup", [])  # address -> queue sources, in priority order
    if not isinstance(lookups, list):
        raise CatalogueError(f"{where}: 'lookup' must be [[regions.lookup]] tables")
    return Region(
        id=region_id,
        name_uk=_text(raw, "name_uk", where),
        name_en=_text(raw, "name_en", where),
        tz=tz,
        sources=tuple(_source(s, f"{where} source #{i + 1}") for i, s in enumerate(sources)),
        aliases=tuple(aliases),
        lookups=tuple(_lookup(item, f"{where} lookup #{i + 1}") for i, item in enumerate(lookups)),
    )


def parse_catalogue(text: str) -> Catalogue:
    """Read a catalogue from TOML text; raise CatalogueError with the reason when invalid."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not TOML: {exc}") from exc
    raw = data.get("regions")
    if not isinstance(raw, list) or not raw:
        raise CatalogueError("needs at least one [[regions]] table")
    regions = tuple(_region(r, i) for i, r in enumerate(raw))
    ids = [r.id for r in regions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogueError(f"duplicate region ids: {', '.join(duplicates)}")
    _check_names_unique(regions)
    return Catalogue(regions)


def _check_names_unique(regions: tuple[Region, ...]) -> None:
    """Refuse a name (id, English name or alias) that two regions answer to: ``find`` would
    pick the first one silently, and a feed's file would be read as the wrong region."""
    owners: dict[str, str] = {}
    for region in regions:
        for name in {n.casefold() for n in (region.id, region.name_en, *region.aliases)}:
            other = owners.setdefault(name, region.id)
            if other != region.id:
                raise CatalogueError(f"name {name!r} belongs to two regions: {other}, {region.id}")


def display_url(url: str) -> str:
    """The URL without credentials, query or fragment, safe to log and show."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
