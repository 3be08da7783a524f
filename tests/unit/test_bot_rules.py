"""Pure rules behind the bot: deep links, labels, quiet-hour presets, photo keys."""

from __future__ import annotations

from datetime import date, time

import pytest

from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, Span
from esvitlo.services.accounts import DeepLink, clean_label, parse_deep_link
from esvitlo.services.preferences import QUIET_PRESETS, next_quiet_preset
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
    ],
)
def test_clean_label(text, expected):
    assert clean_label(text) == expected


def test_quiet_presets_cycle_through_every_choice_and_back_to_off():
    seen, current = [], None
    for _ in QUIET_PRESETS:
        current = next_quiet_preset(current)
        seen.append(current)
    assert seen[-1] is None and len(set(seen)) == len(QUIET_PRESETS)
    assert next_quiet_preset((time(21), time(6))) is None  # a custom range restarts the cycle


def test_photo_key_changes_with_the_schedule_and_the_language_only():
    today = date(2025, 11, 20)
    one = QueueSchedule("3.1", None, (DaySchedule(today, DayState.PUBLISHED, (Span(180, 630),)),))
    two = QueueSchedule("3.1", None, (DaySchedule(today, DayState.PUBLISHED, (Span(180, 660),)),))
    key = SchedulePhotos.key
    assert key("kyiv", one, today, "uk") == key("kyiv", one, today, "uk")
    assert len({key("kyiv", one, today, "uk"), key("kyiv", two, today, "uk"),
                key("kyiv", one, today, "en"), key("dnipro", one, today, "uk")}) == 4  # fmt: skip
