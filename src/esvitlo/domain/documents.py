"""Turn raw source bytes into a :class:`RegionSnapshot`, whatever the source format."""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum

from esvitlo.domain.dtek import parse_dtek
from esvitlo.domain.model import RegionSnapshot, ScheduleFormatError
from esvitlo.domain.mykolaiv import is_bundle, parse_mykolaiv
from esvitlo.domain.yasno import parse_yasno


class SourceKind(StrEnum):
    """Document formats we can read."""

    DTEK = "dtek"
    YASNO = "yasno"
    MYKOLAIV = "mykolaiv"  # the three API documents bundled: see domain.mykolaiv


def decode_json(data: bytes | str) -> object:
    """Parse JSON text; raise ScheduleFormatError with the reason when it is not JSON."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # also ints over the 4300-digit limit
        raise ScheduleFormatError(f"not JSON: {exc}") from exc


def detect_kind(doc: object) -> SourceKind:
    """Guess the format of a decoded document from its shape."""
    if isinstance(doc, Mapping):
        if "fact" in doc:
            return SourceKind.DTEK
        if is_bundle(doc):
            return SourceKind.MYKOLAIV
        if doc and all(
            isinstance(v, Mapping) and ("today" in v or "tomorrow" in v) for v in doc.values()
        ):
            return SourceKind.YASNO
    raise ScheduleFormatError(
        "not a known schedule format (no 'fact', no YASNO groups, no Mykolaiv bundle)"
    )


def parse_document(
    doc: object, *, region: str, tz: str = "Europe/Kyiv", kind: SourceKind | None = None
) -> RegionSnapshot:
    """Normalize a decoded document of the given (or detected) kind."""
    kind = kind or detect_kind(doc)
    if kind is SourceKind.DTEK:
        return parse_dtek(doc, region=region, tz=tz)
    if kind is SourceKind.MYKOLAIV:
        return parse_mykolaiv(doc, region=region, tz=tz)
    return parse_yasno(doc, region=region, tz=tz)


def region_hint(doc: object) -> str | None:
    """The region id a DTEK-format document names for itself, if any."""
    if isinstance(doc, Mapping) and isinstance(doc.get("regionId"), str):
        return str(doc["regionId"])
    return None
