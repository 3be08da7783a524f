"""The weekly plan-versus-fact post: due on Monday from 09:00 Kyiv time until the day ends,
for the ISO week just finished; its text in both languages; the opt-in flag's name."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.plan_fact import DayPlanFact, QueuePlanFact
from esvitlo.domain.plan_fact_weekly import chat_of_flag, due_week, flag_name, weekly_post_text
from esvitlo.domain.texts import bot_texts_for, texts_for

from step_clock import StepClock

KYIV = ZoneInfo("Europe/Kyiv")
MONDAY_0900 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv (UTC+2)


def test_due_from_monday_nine_until_the_day_ends_for_the_week_just_finished():
    clock = StepClock(MONDAY_0900 - timedelta(days=1))  # Sunday 09:00
    seen = []
    for _ in range(2 * 24 * 12):  # two days, a look every five minutes
        week = due_week(clock.now(), KYIV)
        seen.append((clock.now(), week.label if week else None))
        clock.advance(minutes=5)
    due = [at for at, label in seen if label is not None]
    assert due[0] == MONDAY_0900
    assert due[-1] == MONDAY_0900 + timedelta(hours=15, minutes=-5)  # 23:55 in Kyiv
    assert {label for _, label in seen if label} == {"2026-W49"}
    week = due_week(MONDAY_0900, KYIV)
    assert week is not None
    assert week.first_day == date(2026, 11, 30)
    assert week.since == datetime(2026, 11, 29, 22, 0, tzinfo=UTC)  # Monday 00:00 in Kyiv
    assert week.until == datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
    assert week.key(-100) == "plan_fact_weekly:2026-W49:-100"


def test_the_week_across_new_year_is_named_by_its_iso_year():
    week = due_week(datetime(2026, 1, 5, 8, 0, tzinfo=UTC), KYIV)  # a Monday, 10:00 in Kyiv
    assert week is not None
    assert (week.first_day, week.label) == (date(2025, 12, 29), "2026-W01")


def test_flag_names_round_trip():
    assert chat_of_flag(flag_name(-1001234)) == -1001234
    assert chat_of_flag("plan_fact_weekly:x") is None
    assert chat_of_flag("pause") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", ["30.11 – 06.12", "Київ &lt;b&gt;, Черга 3.1", "5 год", "4 год", "1 з 2"]),
        ("en", ["30.11 – 06.12", "Київ &lt;b&gt;, Queue 3.1", "5 h", "4 h", "1 of 2"]),
    ],
)
def test_post_text_in_both_languages(language: str, expected: list[str]):
    day = DayPlanFact(
        date(2026, 12, 5), timedelta(hours=24), timedelta(hours=5), timedelta(hours=4)
    )
    queue = QueuePlanFact(
        "kyiv", "3.1", (day,), starts_seen=2, starts_on_time=1, ends_seen=1, unplanned=1
    )
    week = due_week(MONDAY_0900, KYIV)
    assert week is not None
    text = weekly_post_text(queue, week, "Київ <b>", bot_texts_for(language), texts_for(language))
    for part in expected:
        assert part in text
