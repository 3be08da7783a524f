"""Change detection per (region, queue, date): what changed and whether it is worth an alert.

Days are matched by their local date, so a midnight rollover (yesterday's "tomorrow"
becoming "today") compares a day with itself and is not a change. A source error is never
a change: the previous schedule is kept. A day the source withdraws to "not yet published"
keeps the last published version.

A day that was not published (never stored, pending, or the placeholder below) and now is
has *appeared*: it is told in full as a newly published schedule, today as well as tomorrow
(feeds often publish just after midnight), never as a change with every outage added. A
today with no outages that follows nothing published is the all-``yes`` placeholder DTEK
carries past midnight as often as a real quiet day, so it is stored as still pending and the
outages published later are the schedule appearing. A day turning emergency (its schedule
suspended by emergency cuts) and one leaving emergency for a published schedule are events
of their own kinds, whatever came before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from esvitlo.domain.model import (
    MINUTES_PER_DAY,
    DaySchedule,
    DayState,
    QueueSchedule,
    Span,
    spans_from_mask,
)


class ChangeKind(StrEnum):
    """Why a day's schedule deserves an alert."""

    TOMORROW_APPEARED = "tomorrow_appeared"  # published where nothing was
    TODAY_APPEARED = "today_appeared"
    TODAY_CHANGED = "today_changed"  # a published schedule edited
    TOMORROW_CHANGED = "tomorrow_changed"
    EMERGENCY_STARTED = "emergency_started"  # the day's schedule suspended by emergency cuts
    EMERGENCY_ENDED = "emergency_ended"  # a published schedule applies again

    @property
    def appeared(self) -> bool:
        """Whether the day was published where nothing was before."""
        return self in (ChangeKind.TODAY_APPEARED, ChangeKind.TOMORROW_APPEARED)

    @property
    def edits(self) -> bool:
        """Whether the change edits a published schedule (told as what was and what is)."""
        return self in (ChangeKind.TODAY_CHANGED, ChangeKind.TOMORROW_CHANGED)

    @property
    def emergency(self) -> bool:
        """Whether the change starts or ends emergency outages."""
        return self in (ChangeKind.EMERGENCY_STARTED, ChangeKind.EMERGENCY_ENDED)


class Decision(StrEnum):
    """The outcome of one check of one queue."""

    BASELINE = "baseline"
    NO_CHANGE = "no_change"
    ROLLOVER = "rollover"
    SOURCE_ERROR = "source_error"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class DayDiff:
    """Structural difference of two outage lists."""

    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    shifted: tuple[tuple[Span, Span], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.shifted)

    def coverage(self) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
        """Time newly without power and time no longer without power, minute by minute."""
        old = _minutes(s for s, _ in self.shifted) | _minutes(self.removed)
        new = _minutes(n for _, n in self.shifted) | _minutes(self.added)
        return _to_spans(new - old), _to_spans(old - new)

    def describe(self) -> str:
        """Compact ``+10:00–12:00 -14:00–16:00 ~18:00–20:00>18:30–20:00`` form."""
        parts = [f"+{s.label()}" for s in self.added]
        parts += [f"-{s.label()}" for s in self.removed]
        parts += [f"~{old.label()}>{new.label()}" for old, new in self.shifted]
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class DayChange:
    """One alert-worthy change of one day."""

    kind: ChangeKind
    old: DaySchedule | None
    new: DaySchedule
    diff: DayDiff

    @property
    def date(self) -> date:
        return self.new.date


@dataclass(frozen=True, slots=True)
class QueueCheck:
    """Result of comparing a queue's stored days with a fresh document."""

    decision: Decision
    changes: tuple[DayChange, ...]
    keep: Mapping[date, DaySchedule] | None  # what to store; None: store nothing


def _minutes(spans: Iterable[Span]) -> set[int]:
    return {minute for span in spans for minute in range(span.start, span.end)}


def _to_spans(minutes: set[int]) -> tuple[Span, ...]:
    return spans_from_mask((m in minutes for m in range(MINUTES_PER_DAY)), 1)


def diff_spans(old: tuple[Span, ...], new: tuple[Span, ...]) -> DayDiff:
    """Added, removed and shifted spans; a shifted span overlaps the one it replaces."""
    new_set, old_set = set(new), set(old)
    gone = [s for s in old if s not in new_set]
    came = [s for s in new if s not in old_set]
    shifted: list[tuple[Span, Span]] = []
    for old_span in list(gone):
        match = next((s for s in came if s.overlaps(old_span)), None)
        if match is not None:
            shifted.append((old_span, match))
            gone.remove(old_span)
            came.remove(match)
    return DayDiff(tuple(came), tuple(gone), tuple(shifted))


@dataclass(frozen=True, slots=True)
class SpanEdit:
    """Old outages replaced by the new ones they overlap, told as one change.

    ``old`` is empty for an outage added where there was none, ``new`` for one cancelled
    outright; with both, the outages were shifted, extended, shortened, merged or split.
    """

    old: tuple[Span, ...]
    new: tuple[Span, ...]


def span_edits(old: tuple[Span, ...], new: tuple[Span, ...]) -> tuple[SpanEdit, ...]:
    """Old and new outages grouped by overlap (touching is not overlapping), in time order;
    outages that stayed as they were are left out."""
    tagged = sorted([(span, False) for span in old] + [(span, True) for span in new])
    groups: list[list[tuple[Span, bool]]] = []
    reach = 0  # where the current group's outages end
    for span, is_new in tagged:
        if not groups or span.start >= reach:
            groups.append([])
            reach = span.end
        groups[-1].append((span, is_new))
        reach = max(reach, span.end)
    edits = (
        SpanEdit(
            tuple(span for span, is_new in group if not is_new),
            tuple(span for span, is_new in group if is_new),
        )
        for group in groups
    )
    return tuple(edit for edit in edits if edit.old != edit.new)


def fingerprint(day: DaySchedule) -> str:
    """Canonical hash of a day's fact layer; equal fingerprints mean nothing to tell."""
    return hashlib.sha256(day.canonical().encode()).hexdigest()[:32]


def _day_change(old: DaySchedule | None, new: DaySchedule, today: date) -> DayChange | None:
    if new.state is DayState.PENDING:
        return None
    tomorrow = new.date > today
    if new.state is DayState.EMERGENCY:
        if old is None or old.state is not DayState.EMERGENCY:
            return DayChange(ChangeKind.EMERGENCY_STARTED, old, new, DayDiff(added=new.outages))
        if old.outages == new.outages:
            return None
        # a source that names its emergency cuts' hours moved them: an edit like any other
        kind = ChangeKind.TOMORROW_CHANGED if tomorrow else ChangeKind.TODAY_CHANGED
        return DayChange(kind, old, new, diff_spans(old.outages, new.outages))
    if old is None or old.state is DayState.PENDING:
        kind = ChangeKind.TOMORROW_APPEARED if tomorrow else ChangeKind.TODAY_APPEARED
        return DayChange(kind, old, new, DayDiff(added=new.outages))
    if old.state is DayState.EMERGENCY:
        return DayChange(ChangeKind.EMERGENCY_ENDED, old, new, DayDiff(added=new.outages))
    if old.canonical() == new.canonical():
        return None
    kind = ChangeKind.TOMORROW_CHANGED if tomorrow else ChangeKind.TODAY_CHANGED
    return DayChange(kind, old, new, diff_spans(old.outages, new.outages))


def _placeholder(old: DaySchedule | None, new: DaySchedule, today: date) -> bool:
    """Whether ``new`` is a today with no outages following nothing published (see above)."""
    unpublished = old is None or old.state is DayState.PENDING
    quiet = new.state is DayState.PUBLISHED and not new.outages
    return unpublished and quiet and new.date == today


def check_queue(
    stored: Mapping[date, DaySchedule] | None,
    current: QueueSchedule | None,
    today: date,
    *,
    source_ok: bool = True,
) -> QueueCheck:
    """Compare stored days with a fresh document for one queue, as of local date ``today``.

    ``stored`` is None when nothing was ever stored for the queue (a baseline, never an
    alert). Days before ``today`` are dropped from what is kept.
    """
    previous = {d: day for d, day in (stored or {}).items() if d >= today}
    if not source_ok:
        return QueueCheck(Decision.SOURCE_ERROR, (), None if stored is None else previous)
    keep = dict(previous)
    changes: list[DayChange] = []
    for day in current.days if current else ():
        if day.date < today:
            continue
        old = previous.get(day.date)
        if day.state is DayState.PENDING and old is not None and old.published:
            continue
        if _placeholder(old, day, today):
            day = replace(day, state=DayState.PENDING)
        keep[day.date] = day
        if stored is not None and (change := _day_change(old, day, today)):
            changes.append(change)
    if stored is None:
        decision = Decision.BASELINE
    elif changes:
        decision = Decision.CHANGED
    elif any(d < today for d in stored):
        decision = Decision.ROLLOVER
    else:
        decision = Decision.NO_CHANGE
    return QueueCheck(decision, tuple(changes), dict(sorted(keep.items())))
