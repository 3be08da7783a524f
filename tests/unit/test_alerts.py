"""Change alerts: one per changed queue and check, a version per set of settings, keys."""

from __future__ import annotations

from datetime import date

from esvitlo.bot.callbacks import Address, Nav
from esvitlo.domain.alert_messages import AlertMessage, alert_keyboard
from esvitlo.domain.alerts import (
    CHANGES_SETTING,
    PUBLISHED_SETTING,
    SCHEDULE_ALERT,
    ChangeAlert,
    change_alerts,
)
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import ChangeKind, check_queue
from esvitlo.domain.delivery import PRIORITY_TODAY, PRIORITY_TOMORROW
from esvitlo.domain.message_text import CAPTION_LIMIT, text_length
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
TODAY = date(2025, 11, 9)
TOMORROW = date(2025, 11, 10)


def day(on: date, *spans: tuple[int, int], state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(Span(a, b) for a, b in spans))


def alerts_for(stored: list[DaySchedule], *days: DaySchedule) -> list[ChangeAlert]:
    schedule = QueueSchedule("3.1", None, days)
    check = check_queue({d.date: d for d in stored}, schedule, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": schedule})
    return change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)


def test_today_changed_and_tomorrow_appeared_make_one_alert_with_a_version_per_choice():
    stored = [day(TODAY, (600, 720)), day(TOMORROW, state=DayState.PENDING)]
    [alert] = alerts_for(stored, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    assert (alert.kind, alert.topic) == (SCHEDULE_ALERT, "schedule:kyiv:3.1")
    assert [(p.date, p.kind) for p in alert.parts] == [
        (TODAY, ChangeKind.TODAY_CHANGED),
        (TOMORROW, ChangeKind.TOMORROW_APPEARED),
    ]
    versions = {version.wanted: version for version in alert.versions}
    both = frozenset({CHANGES_SETTING, PUBLISHED_SETTING})
    changes, tomorrow = frozenset({CHANGES_SETTING}), frozenset({PUBLISHED_SETTING})
    assert set(versions) == {both, changes, tomorrow}
    assert versions[changes].unwanted == tomorrow and versions[tomorrow].unwanted == changes
    assert versions[both].unwanted == frozenset()
    assert {w: v.priority for w, v in versions.items()} == {
        both: PRIORITY_TODAY,
        changes: PRIORITY_TODAY,
        tomorrow: PRIORITY_TOMORROW,
    }
    for lang in ("uk", "en"):
        assert "01:00" in versions[both].text(lang) and "13:00" in versions[both].text(lang)
        assert "01:00" not in versions[changes].text(lang)
        assert "13:00" not in versions[tomorrow].text(lang)
    # restated, a version still leaves out the parts it does not want (only the days the
    # check left alone are added)
    assert "01:00" not in versions[changes].text("uk", restate=True)


def test_restated_versions_add_the_days_the_check_left_alone():
    stored = [day(TODAY, (600, 720)), day(TOMORROW, (60, 120))]
    [alert] = alerts_for(stored, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    [version] = alert.versions
    assert version.wanted == frozenset({CHANGES_SETTING})
    assert "01:00–02:00" not in version.text("uk")
    restated = version.text("uk", restate=True)
    assert "01:00–02:00" in restated and "10:00–13:00" in restated and "Було" not in restated


def test_keys_follow_the_parts_and_the_revisions_they_replace():
    stored = [day(TODAY, (600, 720))]
    [alert] = alerts_for(stored, day(TODAY, (600, 780)), day(TOMORROW, (60, 120)))
    first = alert.key_prefix({TODAY: 3, TOMORROW: 0})
    assert first == alert.key_prefix({TOMORROW: 0, TODAY: 3})
    assert first != alert.key_prefix({TODAY: 4, TOMORROW: 0})  # the same change made anew
    assert first.startswith("schedule:kyiv:3.1:") and first.endswith(":")
    [other] = alerts_for(stored, day(TODAY, (600, 840)), day(TOMORROW, (60, 120)))
    assert other.key_prefix({TODAY: 3, TOMORROW: 0}) != first


def test_no_changes_no_alert():
    stored = [day(TODAY, (600, 720))]
    assert alerts_for(stored, day(TODAY, (600, 720))) == []


def test_a_message_is_the_picture_with_what_the_text_marks_new_outlined():
    stored = [day(TODAY, (600, 720), (900, 960)), day(TOMORROW, state=DayState.PENDING)]
    [alert] = alerts_for(stored, day(TODAY, (600, 780), (900, 960)), day(TOMORROW, (60, 120)))
    both = next(v for v in alert.versions if v.wanted == {CHANGES_SETTING, PUBLISHED_SETTING})
    message = both.message("uk")
    assert message.picture is not None and message.picture.picture.lang == "uk"
    assert message.picture.highlight == {TODAY: (Span(600, 780),)}  # moved; 15:00 kept
    assert "10:00–13:00 (3 год) 🆕" in message.text and "15:00–16:00 (1 год) 🆕" not in message.text
    restated = both.message("uk", restate=True)
    assert restated.picture is not None and restated.picture.highlight == {}  # told in full
    english = both.message("en").picture
    assert english is not None
    keys = {message.picture.key, restated.picture.key, english.key}
    assert len(keys) == 3  # the outline and the language are in the key
    assert AlertMessage.from_payload(message.payload()) == message


def test_alert_buttons_carry_callback_data_the_bot_accepts():
    [(timer, schedule), (settings,)] = alert_keyboard("uk", 42)
    assert Address.unpack(str(timer.data)) == Address(action="timer", sub=42)
    assert Address.unpack(str(schedule.data)) == Address(action="schedule", sub=42)
    assert Nav.unpack(str(settings.data)) == Nav(to="settings")


def test_a_caption_too_long_keeps_what_changed_and_leaves_the_lists_to_the_picture():
    many = [(m, m + 20) for m in range(0, 1440, 30)]  # 48 outages
    moved = [(m + 10, m + 30) for m in range(0, 1440, 30)]
    [alert] = alerts_for([day(TODAY, *many)], day(TODAY, *moved))
    [version] = alert.versions
    for lang in ("uk", "en"):
        text = version.text(lang)
        assert text_length(text) <= CAPTION_LIMIT, text_length(text)
        assert "🆕" not in text  # the outage list is left out ...
        assert "00:10–00:30" in text  # ... what changed is told
