"""Pure rules behind the bot: deep links, labels, settings keyboards, photo keys."""

from __future__ import annotations

from datetime import date, time

import pytest

from esvitlo.bot import keyboards
from esvitlo.bot.callbacks import Lead, Quiet
from esvitlo.domain.accounts import NotificationSettings
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, Span
from esvitlo.domain.texts import bot_texts_for
from esvitlo.services.accounts import DeepLink, clean_label, default_label_in, parse_deep_link
from esvitlo.services.schedule_photos import SchedulePhotos
from esvitlo.settings import Settings

CATALOGUE = Settings().catalogue()


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("kyiv_3-1", DeepLink("kyiv", "3.1")),
        ("kyiv-region_GPV6-2", DeepLink("kyiv-region", "6.2")),
        ("dnipro_1001-1", DeepLink("dnipro", "1001.1")),
        (" kyiv_3-1 ", DeepLink("kyiv", "3.1")),
        ("atlantis_3-1", None),
        ("kyiv_", None),
        ("kyiv", None),
        ("", None),
        ("_3-1", None),
    ],
)
def test_parse_deep_link(payload, expected):
    assert parse_deep_link(payload, CATALOGUE) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Дім", "Дім"),
        ("  Батьки \n в  селі ", "Батьки в селі"),
        ("x" * 32, "x" * 32),
        ("x" * 33, None),
        ("   ", None),
        ("", None),
        ("Дім\x00мами", None),  # NUL: stored by SQLite, an error on PostgreSQL
        ("Дзвінок\x07", None),
        ("del\x7f", None),
        ("c1\x9b", None),
        ("half \ud800 pair", None),  # a lone surrogate cannot be encoded as UTF-8
        ("Дім\t\tмами\r\n", "Дім мами"),  # whitespace controls still fold into spaces
        ("👩‍👧 Мама", "👩‍👧 Мама"),  # a zero-width joiner is a format character, kept
    ],
)
def test_clean_label(text, expected):
    assert clean_label(text) == expected


def _rows(markup):
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_lead_times_fit_a_phone_three_to_a_row_and_offer_the_moment_itself(lang):
    ui = bot_texts_for(lang)
    rows = _rows(keyboards.lead_times(ui, "off", (0, 15)))
    choices = [button for row in rows[:-1] for button in row]
    assert all(len(row) <= 3 for row in rows) and len(choices) == 6
    assert all(len(text) <= 12 for text, _ in choices), choices
    assert [Lead.unpack(data).minutes for _, data in choices] == [0, 5, 10, 15, 30, 60]
    chosen = [text for text, _ in choices if text.startswith(ui.on_mark)]
    assert chosen == [
        f"{ui.on_mark} {ui.btn_lead_now}",
        f"{ui.on_mark} 15 {'хв' if lang == 'uk' else 'min'}",
    ]


@pytest.mark.parametrize(
    ("chosen", "uk", "en"),
    [
        ((), "немає", "none"),
        ((0,), "у момент", "at the moment"),
        ((15, 30), "за 15 хв, за 30 хв", "15 min before, 30 min before"),
    ],
)
def test_lead_labels_read_as_words(chosen, uk, en):
    assert keyboards.lead_label(bot_texts_for("uk"), chosen) == uk
    assert keyboards.lead_label(bot_texts_for("en"), chosen) == en


def test_quiet_hours_are_any_start_then_any_other_end():
    ui = bot_texts_for("uk")
    starts = [Quiet.unpack(d) for row in _rows(keyboards.quiet_hours(ui, start=None, on=False))
              for _, d in row if d.startswith("qh:start")]  # fmt: skip
    assert [q.start for q in starts] == list(range(24))
    ends = [Quiet.unpack(d) for row in _rows(keyboards.quiet_hours(ui, start=22, on=True))
            for _, d in row if d.startswith("qh:end")]  # fmt: skip
    assert [q.end for q in ends] == [h for h in range(24) if h != 22]
    assert {q.start for q in ends} == {22}
    assert any(d == "qh:off:0:0" for row in _rows(keyboards.quiet_hours(ui, start=None, on=True))
               for _, d in row)  # fmt: skip
    prefs = NotificationSettings(1, quiet_start=time(22), quiet_end=time(7))
    assert keyboards.quiet_label(ui, prefs) == "22:00–07:00"


def test_photo_key_changes_with_the_schedule_and_the_language_only():
    today = date(2025, 11, 20)
    one = QueueSchedule("3.1", None, (DaySchedule(today, DayState.PUBLISHED, (Span(180, 630),)),))
    two = QueueSchedule("3.1", None, (DaySchedule(today, DayState.PUBLISHED, (Span(180, 660),)),))
    key = SchedulePhotos.key
    assert key("kyiv", one, today, "uk") == key("kyiv", one, today, "uk")
    assert len({key("kyiv", one, today, "uk"), key("kyiv", two, today, "uk"),
                key("kyiv", one, today, "en"), key("dnipro", one, today, "uk")}) == 4  # fmt: skip


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Дім", "Home"),
        ("Адреса 2", "Address 2"),
        ("Адреса 12", "Address 12"),
        ("Дім мами", None),  # the user's own name stays
        ("Адреса", None),
        ("Адреса x", None),
        ("Home", None),  # already English: nothing to translate from Ukrainian
    ],
)
def test_labels_the_bot_gave_follow_the_language(label, expected):
    assert default_label_in(label, bot_texts_for("uk"), bot_texts_for("en")) == expected
    if expected is not None:  # and back
        assert default_label_in(expected, bot_texts_for("en"), bot_texts_for("uk")) == label
