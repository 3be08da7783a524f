"""Channel post captions: the owner's template with placeholders, and the picture-only title.

A template is the owner's own text with placeholders in braces; the text is escaped (it is
shown as typed, never as markup), the placeholders are filled with the post's parts, which
are HTML already. A template is refused when it is set if its caption with the schedule of
that moment passes Telegram's limit; when a later schedule is longer, ``{schedule}`` is cut
at line boundaries to fit (and a caption that cannot fit falls back to the default one).
``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.message_text import CAPTION_LIMIT, clock_text, fit, text_length
from esvitlo.domain.texts import Texts, format_date

PLACEHOLDERS = ("region", "queue", "changes", "schedule", "updated")
"""What a template may name: region, queue title, the "what changed" line, the schedule,
the time the schedule was last updated."""

MAX_TEMPLATE = CAPTION_LIMIT
"""The longest template the owner may type, in characters."""


@dataclass(frozen=True, slots=True)
class CaptionParts:
    """What a template's placeholders are filled with; every value is HTML (escaped)."""

    region: str
    queue: str
    changes: str
    schedule: str
    updated: str

    def to_json(self) -> dict[str, str]:
        """A JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaptionParts:
        """The parts of :meth:`to_json`; KeyError when one is missing."""
        return cls(**{name: str(data[name]) for name in PLACEHOLDERS})


def sample_parts(texts: Texts) -> CaptionParts:
    """Example parts for a preview when the channel has no schedule to show yet."""
    return CaptionParts(
        region="…",
        queue=escape(texts.queue_label.format(queue="1.1")),
        changes=texts.post_test,
        schedule=texts.truncated,
        updated="",
    )


def updated_text(updated_at: datetime | None, zone: ZoneInfo, texts: Texts) -> str:
    """``6 грудня о 14:05`` in the region's zone, or "" when the feed gave no time."""
    if updated_at is None:
        return ""
    local = updated_at.astimezone(zone)
    return texts.date_time.format(
        date=format_date(local.date(), texts), time=clock_text(local, zone)
    )


class TemplateRefusal(StrEnum):
    """Why a template cannot be used."""

    EMPTY = "empty"
    MALFORMED = "malformed"  # a lone brace, or a placeholder with a format spec
    UNKNOWN = "unknown"  # a placeholder not in PLACEHOLDERS
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    """A refused template: why, and the detail to tell (a name, or a length)."""

    refusal: TemplateRefusal
    detail: str = ""


Segment = tuple[str, str | None]  # literal text, then the placeholder after it (or None)


def parse_template(template: str) -> list[Segment] | TemplateProblem:
    """The template's segments, or why it cannot be used (lengths are not checked here)."""
    if not template.strip():
        return TemplateProblem(TemplateRefusal.EMPTY)
    if len(template) > MAX_TEMPLATE:
        return TemplateProblem(TemplateRefusal.TOO_LONG, str(len(template)))
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return TemplateProblem(TemplateRefusal.MALFORMED)
    segments: list[Segment] = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion):
            return TemplateProblem(TemplateRefusal.MALFORMED, name)
        if name is not None and name not in PLACEHOLDERS:
            return TemplateProblem(TemplateRefusal.UNKNOWN, name)
        segments.append((literal, name))
    return segments


def _fill(segments: list[Segment], values: Mapping[str, str]) -> str:
    return "".join(escape(text, quote=False) + values.get(n or "", "") for text, n in segments)


def render_caption(segments: list[Segment], parts: CaptionParts, texts: Texts) -> str:
    """The caption of a parsed template, its ``{schedule}`` cut to fit CAPTION_LIMIT."""
    values = parts.to_json()
    text = _fill(segments, values)
    if text_length(text) <= CAPTION_LIMIT or not any(n == "schedule" for _, n in segments):
        return text
    uses = sum(1 for _, name in segments if name == "schedule")
    rest = text_length(_fill(segments, {**values, "schedule": ""}))
    budget = (CAPTION_LIMIT - rest) // uses
    if budget <= 0:
        return text
    values["schedule"] = fit(parts.schedule.split("\n"), texts, budget)
    return _fill(segments, values)


def check_template(template: str, parts: CaptionParts) -> TemplateProblem | str:
    """The caption the template makes with ``parts`` (a preview), or why it is refused: one
    whose caption with these parts, uncut, passes CAPTION_LIMIT is refused (a later, longer
    schedule is cut to fit when posted)."""
    segments = parse_template(template)
    if isinstance(segments, TemplateProblem):
        return segments
    caption = _fill(segments, parts.to_json())
    if text_length(caption) > CAPTION_LIMIT:
        return TemplateProblem(TemplateRefusal.TOO_LONG, str(text_length(caption)))
    return caption


def templated_caption(template: str, parts: CaptionParts, texts: Texts) -> str | None:
    """The caption a stored template makes, or None when it no longer fits (the caller then
    falls back to the default caption)."""
    segments = parse_template(template)
    if isinstance(segments, TemplateProblem):
        return None
    caption = render_caption(segments, parts, texts)
    return caption if text_length(caption) <= CAPTION_LIMIT else None


def picture_title(region: str, queue: str) -> str:
    """The one-line caption of a picture-only post (both values HTML already)."""
    return f"<b>{queue}</b> · {region}"
