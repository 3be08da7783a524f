"""Telegram HTML for a schedule change: what happened to which day and the new day, with
new or moved outages marked; every value not our own literal is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.changes import ChangeKind, DayChange, span_edits
from esvitlo.domain.message_text import TEXT_LIMIT, fit, text_length
from esvitlo.domain.model import DaySchedule, Span
from esvitlo.domain.render_day import day_heading, published_lines, span_text
from esvitlo.domain.texts import Texts, queue_title


def _listed(items: Sequence[str], texts: Texts) -> str:
    """``a``, ``a і b``, ``a, b і c``."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + texts.list_and + items[-1]


def _intervals(day: date, spans: Sequence[Span], zone: ZoneInfo, texts: Texts) -> str:
    return _listed(
        [span_text("{interval} ({duration})", day, s, zone, texts) for s in spans], texts
    )


def _change_heading(kind: ChangeKind, texts: Texts) -> str:
    return {
        ChangeKind.TOMORROW_APPEARED: texts.tomorrow_appeared,
        ChangeKind.TODAY_APPEARED: texts.today_appeared,
        ChangeKind.TODAY_CHANGED: texts.today_changed,
        ChangeKind.TOMORROW_CHANGED: texts.tomorrow_changed,
        ChangeKind.EMERGENCY_STARTED: texts.emergency_started,
        ChangeKind.EMERGENCY_ENDED: texts.emergency_ended,
    }[kind]


def change_heading(texts: Texts, change: DayChange) -> str:
    """One line naming what happened to which day (``Змінився графік на сьогодні, …``)."""
    return day_heading(_change_heading(change.kind, texts), change.date, texts)


def _told_in_full(change: DayChange) -> bool:
    """Whether the change tells the new day whole, with no "was / now" lines: it appeared, is
    restated, or starts or ends emergency outages (the old day's outages never applied)."""
    return change.old is None or not change.old.published or not change.kind.edits


def _edit_lines(old: DaySchedule, new: DaySchedule, zone: ZoneInfo, texts: Texts) -> list[str]:
    """Each changed outage told once: the ones added or cancelled outright, then one "was,
    now" line per group of old and new outages overlapping each other."""
    edits = span_edits(old.outages, new.outages)
    added = [span for edit in edits if not edit.old for span in edit.new]
    cancelled = [span for edit in edits if not edit.new for span in edit.old]
    lines = [
        template.format(intervals=_intervals(new.date, spans, zone, texts))
        for template, spans in ((texts.coverage_added, added), (texts.coverage_removed, cancelled))
        if spans
    ]
    lines += [
        texts.shifted_line.format(
            old=_listed([s.label() for s in edit.old], texts),
            new=_listed([s.label() for s in edit.new], texts),
        )
        for edit in edits
        if edit.old and edit.new
    ]
    return lines


def new_outages(change: DayChange) -> frozenset[Span]:
    """The new day's outages a change added or moved (marked 🆕); none for a day told in
    full (it appeared, is restated, or starts or ends emergency outages)."""
    if change.old is None or _told_in_full(change):
        return frozenset()
    edits = span_edits(change.old.outages, change.new.outages)
    return frozenset(span for edit in edits for span in edit.new)


def _change_lines(
    change: DayChange, zone: ZoneInfo, texts: Texts, *, brief: bool = False
) -> list[str]:
    """Heading, what changed, and the day's new schedule with new or moved outages marked;
    ``brief``: the outage list left out (a picture shows it), only its total kept."""
    lines = [change_heading(texts, change)]
    if change.old is None or _told_in_full(change):
        body = published_lines(change.new, zone, texts)
        return lines + (body[-1:] if brief else body)
    lines += _edit_lines(change.old, change.new, zone, texts)
    body = published_lines(change.new, zone, texts, marked=new_outages(change))
    return lines + (body[-1:] if brief else [texts.new_schedule, *body])


def render_change(
    texts: Texts,
    changes: DayChange | Sequence[DayChange],
    *,
    queue: str,
    region: str,
    zone: ZoneInfo,
    name: str | None = None,
    limit: int = TEXT_LIMIT,
    pictured: bool = False,
) -> str:
    """One message for the changes of one queue: what happened to which day and the new day.

    ``pictured``: a picture of the days goes with the text, so a text over ``limit`` first
    leaves out the days' outage lists (keeping what changed and the totals) before cutting.
    """
    items = sorted((changes,) if isinstance(changes, DayChange) else changes, key=lambda c: c.date)
    title = queue_title(texts, queue, name)
    heading = texts.change_title.format(region=escape(region), queue=escape(title))

    def lines(brief: bool) -> list[str]:
        body = [line for c in items for line in ["", *_change_lines(c, zone, texts, brief=brief)]]
        return [heading, *body]

    full = lines(brief=False)
    if pictured and text_length("\n".join(full)) > limit:
        return fit(lines(brief=True), texts, limit)
    return fit(full, texts, limit)
