"""How a change of a day is told: every changed outage once, on real pairs and edge cases.

A shift, extension, shortening, merge or split (new outages overlapping old ones) is one
"was, now" line naming all of them; "added" and "cancelled" are only for outages that
overlap nothing on the other side. The new schedule marks the outages that are new or moved.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from esvitlo.domain.changes import ChangeKind, DayChange, diff_spans, span_edits
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.model import DaySchedule, DayState, Span, spans_from_mask
from esvitlo.domain.render import render_change
from esvitlo.domain.texts import texts_for

from fixture_files import fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")
D = date(2025, 11, 20)


def span(text: str) -> Span:
    start, end = (int(c[:2]) * 60 + int(c[3:]) for c in text.split("-"))
    return Span(start, end)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(span(s) for s in spans))


def render(old: DaySchedule | None, new: DaySchedule, lang: str = "uk") -> list[str]:
    kind = ChangeKind.TODAY_CHANGED
    diff = diff_spans(old.outages if old else (), new.outages)
    text = render_change(texts_for(lang), DayChange(kind, old, new, diff), queue="3.1",
                         region="Київ", zone=KYIV)  # fmt: skip
    return text.split("\n")


def change_lines(old: DaySchedule | None, new: DaySchedule, lang: str = "uk") -> list[str]:
    """The lines between the day's heading and the new schedule."""
    lines = render(old, new, lang)
    heading = 2  # title, blank line, heading
    end = lines.index(texts_for(lang).new_schedule) if old else heading + 1
    return lines[heading + 1 : end]


def fixture_day(region: str, name: str, queue: str, on: date) -> DaySchedule:
    path = fixtures_dir() / "outage-data-ua" / region / name
    found = parse_document(decode_json(path.read_bytes()), region=region).queues[queue].day(on)
    assert found is not None and found.published
    return found


REAL_PAIRS = [
    # region, queue, file before, file after (consecutive in the series), date, lines
    (
        "kyiv", "3.1", "2025-11-20T1526_a1212.json", "2025-11-20T1936_a1227.json", D,
        ["🔁 Було 13:30–20:30, стало 13:30–21:00"],
    ),  # the report: once "added 20:30–21:00" and once "was / now"
    (
        "kyiv", "4.1", "2025-11-20T1526_a1212.json", "2025-11-20T1936_a1227.json", D,
        ["🔁 Було 13:30–18:30, стало 13:30–21:00"],
    ),
    (
        "kyiv", "5.1", "2025-11-09T0633_a256.json", "2025-11-09T0838_a265.json", date(2025, 11, 9),
        ["🔁 Було 09:00–15:30, стало 09:00–09:30 і 11:30–15:30"],
    ),  # split in two
    (
        "kyiv", "2.1", "2025-11-09T0838_a265.json", "2025-11-09T1051_a274.json", date(2025, 11, 9),
        ["➖ Скасовано відключення: 22:00–24:00 (2 год)", "🔁 Було 11:30–19:00, стало 11:30–15:30"],
    ),
    (
        "dnipro", "6.2", "2025-11-09T0838_a264.json", "2025-11-09T1051_a273.json",
        date(2025, 11, 9),
        ["➕ Додано відключення: 11:00–14:00 (3 год)", "🔁 Було 17:30–21:00, стало 17:30–22:00"],
    ),
    (
        "dnipro", "3.2", "2025-11-08T1808_a214.json", "2025-11-09T0838_a264.json",
        date(2025, 11, 9),
        [
            "➖ Скасовано відключення: 09:00–10:30 (1 год 30 хв)",
            "🔁 Було 14:00–17:30, стало 14:00–21:00",
        ],
    ),
    (
        "dnipro", "1.1", "2025-11-07T0808_a089.json", "2025-11-07T1428_a113.json",
        date(2025, 11, 7),
        ["🔁 Було 08:00–10:00, стало 08:00–09:30", "🔁 Було 17:00–19:00, стало 16:30–19:00"],
    ),  # two edits: two lines, not four
    (
        "dnipro", "1.2", "2025-11-09T0838_a264.json", "2025-11-09T1051_a273.json",
        date(2025, 11, 9),
        ["🔁 Було 10:30–14:00, стало 10:30–11:00 і 11:30–14:00"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("region", "queue", "before", "after", "on", "expected"),
    REAL_PAIRS,
    ids=[f"{c[0]}-{c[1]}-{c[3][:15]}" for c in REAL_PAIRS],
)
def test_real_changes_are_told_once(region, queue, before, after, on, expected):
    old = fixture_day(region, before, queue, on)
    new = fixture_day(region, after, queue, on)
    assert change_lines(old, new) == expected


SYNTHETIC = [
    # id, old outages, new outages, lines
    ("unchanged-outages-are-not-mentioned", ("08:00-10:00", "14:00-16:00"),
     ("08:00-10:00", "14:00-17:00"), ["🔁 Було 14:00–16:00, стало 14:00–17:00"]),
    ("moved-without-overlap-is-cancelled-and-added", ("08:00-10:00",), ("12:00-14:00",),
     ["➕ Додано відключення: 12:00–14:00 (2 год)",
      "➖ Скасовано відключення: 08:00–10:00 (2 год)"]),
    ("touching-is-not-overlapping", ("10:00-12:00",), ("12:00-14:00",),
     ["➕ Додано відключення: 12:00–14:00 (2 год)",
      "➖ Скасовано відключення: 10:00–12:00 (2 год)"]),
    ("two-merged-into-one", ("10:00-12:00", "13:00-15:00"), ("10:00-15:00",),
     ["🔁 Було 10:00–12:00 і 13:00–15:00, стало 10:00–15:00"]),
    ("three-merged-into-one", ("08:00-09:00", "10:00-11:00", "12:00-13:00"), ("08:00-13:00",),
     ["🔁 Було 08:00–09:00, 10:00–11:00 і 12:00–13:00, стало 08:00–13:00"]),
    ("one-split-into-three", ("08:00-13:00",), ("08:00-09:00", "10:00-11:00", "12:00-13:00"),
     ["🔁 Було 08:00–13:00, стало 08:00–09:00, 10:00–11:00 і 12:00–13:00"]),
    ("chain-of-overlaps", ("10:00-12:00", "14:00-16:00"), ("11:00-15:00", "15:30-17:00"),
     ["🔁 Було 10:00–12:00 і 14:00–16:00, стало 11:00–15:00 і 15:30–17:00"]),
    ("several-added-in-one-line", ("08:00-10:00",), ("00:00-02:00", "08:00-10:00", "20:00-22:00"),
     ["➕ Додано відключення: 00:00–02:00 (2 год) і 20:00–22:00 (2 год)"]),
    ("up-to-midnight", ("22:00-24:00",), ("23:00-24:00",),
     ["🔁 Було 22:00–24:00, стало 23:00–24:00"]),
    ("from-midnight", ("00:00-02:00",), ("00:00-03:30",),
     ["🔁 Було 00:00–02:00, стало 00:00–03:30"]),
    ("added-before-midnight", ("08:00-10:00",), ("08:00-10:00", "23:30-24:00"),
     ["➕ Додано відключення: 23:30–24:00 (30 хв)"]),
    ("emptied-day", ("08:00-10:00", "14:00-16:00"), (),
     ["➖ Скасовано відключення: 08:00–10:00 (2 год) і 14:00–16:00 (2 год)"]),
    ("first-outages-of-an-empty-day", (), ("08:00-10:00",),
     ["➕ Додано відключення: 08:00–10:00 (2 год)"]),
    ("whole-day", ("08:00-10:00",), ("00:00-24:00",), ["🔁 Було 08:00–10:00, стало 00:00–24:00"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"), [c[1:] for c in SYNTHETIC], ids=[c[0] for c in SYNTHETIC]
)
def test_edge_cases_are_told_once(old, new, expected):
    assert change_lines(day(D, *old), day(D, *new)) == expected


def test_every_changed_minute_is_named_once():
    """No interval is told both as added (or cancelled) and as part of a "was, now" line."""
    old, new = day(D, "03:00-10:30", "13:30-20:30"), day(D, "03:00-10:30", "13:30-21:00")
    text = "\n".join(render(old, new))
    assert "20:30–21:00" not in text
    assert text.count("13:30–20:30") == 1


def test_english_wording():
    old, new = day(D, "10:00-12:00", "13:00-15:00", "20:00-21:00"), day(D, "10:00-15:00")
    assert change_lines(old, new, "en") == [
        "➖ Outage cancelled: 20:00–21:00 (1 h)",
        "🔁 Was 10:00–12:00 and 13:00–15:00, now 10:00–15:00",
    ]


def test_a_new_day_is_announced_without_change_lines():
    lines = render(None, day(D + timedelta(days=1), "08:00-10:00"))
    assert not [line for line in lines if line.startswith(("➕", "➖", "🔁"))]
    assert "🔴 08:00–10:00 (2 год)" in lines  # nothing marked new: all of it is


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_new_and_moved_outages_are_marked(lang):
    old = day(D, "03:00-10:30", "13:30-20:30", "22:00-23:00")
    new = day(D, "03:00-10:30", "13:30-21:00", "23:30-24:00")
    lines = render(old, new, lang)
    listed = lines[lines.index(texts_for(lang).new_schedule) + 1 :]
    h = "год" if lang == "uk" else "h"
    assert f"🔴 03:00–10:30 (7 {h} 30" in listed[0] and "🆕" not in listed[0]
    assert listed[1].startswith("🔴 13:30–21:00") and listed[1].endswith(" 🆕")
    assert listed[2].startswith("🔴 23:30–24:00") and listed[2].endswith(" 🆕")


def test_emergency_with_no_hours_says_the_schedule_does_not_apply():
    old = day(D, "08:00-10:00")
    new = day(D, state=DayState.EMERGENCY)
    lines = render(old, new)
    assert texts_for("uk").emergency in lines
    assert not any(
        line.startswith("🔴") for line in lines[lines.index(texts_for("uk").emergency) :]
    )


def test_emergency_with_the_sources_hours_lists_them_under_the_emergency_line():
    # Mykolaiv's SURE_OFF: definite emergency cuts at the hours the operator gives
    old = day(D, "08:00-10:00")
    new = day(D, "08:00-10:00", "14:00-16:00", state=DayState.EMERGENCY)
    lines = render(old, new)
    ui = texts_for("uk")
    assert ui.emergency not in lines
    at = lines.index(ui.emergency_times)
    assert lines[at + 1].startswith("🔴 08:00–10:00") and lines[at + 2].startswith("🔴 14:00–16:00")


@pytest.mark.parametrize(
    ("old", "new", "groups"),
    [
        ((), (), []),
        (("08:00-10:00",), ("08:00-10:00",), []),
        (("08:00-10:00",), ("09:00-11:00",), [(("08:00-10:00",), ("09:00-11:00",))]),
        (("10:00-12:00",), ("12:00-14:00",), [(("10:00-12:00",), ()), ((), ("12:00-14:00",))]),
        (
            ("10:00-12:00", "13:00-15:00", "20:00-21:00"),
            ("10:00-15:00", "20:00-21:00"),
            [(("10:00-12:00", "13:00-15:00"), ("10:00-15:00",))],
        ),
    ],
)
def test_span_edits_group_overlapping_outages(old, new, groups):
    edits = span_edits(tuple(map(span, old)), tuple(map(span, new)))
    expected = [(tuple(map(span, a)), tuple(map(span, b))) for a, b in groups]
    assert [(edit.old, edit.new) for edit in edits] == expected


half_hour_days = st.lists(st.booleans(), min_size=48, max_size=48).map(
    lambda cells: spans_from_mask(cells, 30)
)


@settings(max_examples=200, deadline=None)
@given(half_hour_days, half_hour_days)
def test_span_edits_name_every_changed_outage_once(old, new):
    edits = span_edits(old, new)
    told_old = [s for edit in edits for s in edit.old]
    told_new = [s for edit in edits for s in edit.new]
    assert sorted(told_old) == sorted(set(old) - set(new))  # each once, unchanged ones never
    assert sorted(told_new) == sorted(set(new) - set(old))
    for edit in edits:
        assert edit.old or edit.new
        for a in edit.old:  # an edit's sides are linked: "added" / "cancelled" overlap nothing
            assert any(a.overlaps(b) for b in new) == bool(edit.new)
        for b in edit.new:
            assert any(b.overlaps(a) for a in old) == bool(edit.old)
    for first, second in itertools.combinations(edits, 2):
        assert not any(
            a.overlaps(b) for a in first.old + first.new for b in second.old + second.new
        )
