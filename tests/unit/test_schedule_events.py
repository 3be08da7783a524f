"""Schedule events that tell the truth: emergency outages starting and ending, and a day
published where nothing was (never stored, pending, or the placeholder), today as well."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.alerts import (
    CHANGES_SETTING,
    EMERGENCY_SETTING,
    PUBLISHED_SETTING,
    ChangeAlert,
    change_alerts,
    priority_for,
    setting_for,
)
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import ChangeKind, check_queue
from esvitlo.domain.channel_posts import ChannelPost, channel_posts
from esvitlo.domain.delivery import (
    PRIORITY_EMERGENCY,
    PRIORITY_POWER,
    PRIORITY_REMINDER,
    PRIORITY_TODAY,
    PRIORITY_TOMORROW,
)
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.domain.reminder_alerts import queue_reminders
from esvitlo.domain.render import render_timer
from esvitlo.domain.texts import texts_for
from esvitlo.domain.timeline import build_timeline

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
ZONE = ZoneInfo(KYIV.tz)
TODAY = date(2025, 11, 20)  # a Thursday
TOMORROW = TODAY + timedelta(days=1)
NOW = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)  # 10:00 in Kyiv
EMERGENCY = DayState.EMERGENCY
CLOCK = re.compile(r"\d\d:\d\d")


def day(on: date, *spans: tuple[int, int], state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(Span(a, b) for a, b in spans))


def checked(stored: list[DaySchedule], *days: DaySchedule):
    schedule = QueueSchedule("3.1", None, days)
    check = check_queue({d.date: d for d in stored}, schedule, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": schedule}, data_updated_at=NOW)
    return check, snapshot


def alerts_for(stored: list[DaySchedule], *days: DaySchedule) -> list[ChangeAlert]:
    check, snapshot = checked(stored, *days)
    return change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)


def posts_for(stored: list[DaySchedule], *days: DaySchedule) -> list[ChannelPost]:
    check, snapshot = checked(stored, *days)
    return channel_posts(KYIV, snapshot, {"3.1": check}, NOW)


@pytest.mark.parametrize(
    ("kind", "setting", "priority"),
    [
        (ChangeKind.EMERGENCY_STARTED, EMERGENCY_SETTING, PRIORITY_EMERGENCY),
        (ChangeKind.EMERGENCY_ENDED, EMERGENCY_SETTING, PRIORITY_EMERGENCY),
        (ChangeKind.TODAY_APPEARED, PUBLISHED_SETTING, PRIORITY_TODAY),
        (ChangeKind.TOMORROW_APPEARED, PUBLISHED_SETTING, PRIORITY_TOMORROW),
        (ChangeKind.TODAY_CHANGED, CHANGES_SETTING, PRIORITY_TODAY),
        (ChangeKind.TOMORROW_CHANGED, CHANGES_SETTING, PRIORITY_TOMORROW),
    ],
)
def test_each_kind_has_its_setting_and_priority(kind, setting, priority):
    assert (setting_for(kind), priority_for(kind)) == (setting, priority)


def test_emergency_goes_out_just_after_power_alerts():
    assert PRIORITY_POWER < PRIORITY_EMERGENCY < PRIORITY_REMINDER < PRIORITY_TODAY


@pytest.mark.parametrize(
    ("lang", "heading", "body"),
    [
        ("uk", "🚨 <b>Аварійні відключення, четвер, 20 листопада</b>", "Діють аварійні"),
        ("en", "🚨 <b>Emergency outages: Thursday, 20 November</b>", "Emergency outages are in"),
    ],
)
def test_a_day_turning_emergency_is_an_emergency_alert(lang, heading, body):
    [alert] = alerts_for([day(TODAY, (600, 720))], day(TODAY, state=EMERGENCY))
    assert [p.kind for p in alert.parts] == [ChangeKind.EMERGENCY_STARTED]
    [version] = alert.versions
    assert version.wanted == {EMERGENCY_SETTING} and version.priority == PRIORITY_EMERGENCY
    text = version.text(lang)
    assert heading in text and body in text
    assert not CLOCK.search(text)  # no times: the schedule does not apply
    assert version.highlight == {}


def test_the_end_of_emergency_tells_the_schedule_applies_again_in_full():
    stored = [day(TODAY, state=EMERGENCY)]
    [alert] = alerts_for(stored, day(TODAY, (600, 720), (900, 960)))
    assert [p.kind for p in alert.parts] == [ChangeKind.EMERGENCY_ENDED]
    [version] = alert.versions
    assert version.wanted == {EMERGENCY_SETTING} and version.priority == PRIORITY_EMERGENCY
    for restate in (False, True):
        text = version.text("uk", restate=restate)
        assert "Аварійні відключення скасовано, знову діє графік: четвер" in text
        assert "10:00–12:00" in text and "15:00–16:00" in text
        assert "🆕" not in text and "Було" not in text
    english = version.text("en")
    assert "Emergency outages are over, the schedule applies again" in english


def test_an_emergency_part_mixes_with_others_at_the_most_urgent_priority():
    stored = [day(TODAY, (600, 720)), day(TOMORROW, state=DayState.PENDING)]
    [alert] = alerts_for(stored, day(TODAY, state=EMERGENCY), day(TOMORROW, (60, 120)))
    assert [(p.date, p.kind) for p in alert.parts] == [
        (TODAY, ChangeKind.EMERGENCY_STARTED),
        (TOMORROW, ChangeKind.TOMORROW_APPEARED),
    ]
    versions = {v.wanted: v for v in alert.versions}
    both = frozenset({EMERGENCY_SETTING, PUBLISHED_SETTING})
    emergency, published = frozenset({EMERGENCY_SETTING}), frozenset({PUBLISHED_SETTING})
    assert set(versions) == {both, emergency, published}
    assert versions[emergency].unwanted == published
    assert {w: v.priority for w, v in versions.items()} == {
        both: PRIORITY_EMERGENCY,
        emergency: PRIORITY_EMERGENCY,
        published: PRIORITY_TOMORROW,
    }
    assert "01:00–02:00" not in versions[emergency].text("uk")
    assert "Аварійні" not in versions[published].text("uk")
    assert "Аварійні" in versions[both].text("uk") and "01:00–02:00" in versions[both].text("uk")


def test_emergency_on_off_on_gets_a_new_key_each_time_and_the_same_one_when_replanned():
    normal, emergency = day(TODAY, (600, 720)), day(TODAY, state=EMERGENCY)
    [first] = alerts_for([normal], emergency)
    [again] = alerts_for([normal], emergency)
    [ended] = alerts_for([emergency], normal)
    [second] = alerts_for([normal], emergency)
    assert first.key_prefix({TODAY: 1}) == again.key_prefix({TODAY: 1})
    keys = {
        first.key_prefix({TODAY: 1}),
        ended.key_prefix({TODAY: 2}),
        second.key_prefix({TODAY: 3}),
    }
    assert len(keys) == 3


@pytest.mark.parametrize(
    ("stored", "lang", "heading"),
    [
        ([], "uk", "📅 <b>Опубліковано графік на сьогодні, четвер, 20 листопада</b>"),
        ([day(TODAY, state=DayState.PENDING)], "uk", "📅 <b>Опубліковано графік на сьогодні"),
        ([day(TOMORROW, (60, 120))], "en", "📅 <b>Today's schedule is out: Thursday"),
    ],
    ids=["never-stored", "pending", "absent-beside-tomorrow"],
)
def test_a_today_published_after_midnight_is_a_schedule_published(stored, lang, heading):
    days = [day(TODAY, (600, 720), (900, 960)), *(d for d in stored if d.date != TODAY)]
    [alert] = alerts_for(stored, *days)
    assert [p.kind for p in alert.parts] == [ChangeKind.TODAY_APPEARED]
    [version] = alert.versions
    assert version.wanted == {PUBLISHED_SETTING} and version.priority == PRIORITY_TODAY
    text = version.text(lang)
    assert heading in text
    assert "завтра" not in text.lower() and "tomorrow" not in text.lower()
    assert "➕" not in text and "🆕" not in text  # told in full, nothing "added"
    assert "10:00–12:00" in text and "15:00–16:00" in text


def test_the_placeholder_past_midnight_then_the_schedule_is_one_publication():
    placeholder = day(TODAY)  # all-yes: no outages, as DTEK carries it past midnight
    assert alerts_for([day(TODAY, state=DayState.PENDING)], placeholder) == []
    check, _ = checked([day(TODAY, state=DayState.PENDING)], placeholder)
    stored = list((check.keep or {}).values())
    [alert] = alerts_for(stored, day(TODAY, (600, 720)))
    assert [p.kind for p in alert.parts] == [ChangeKind.TODAY_APPEARED]


def test_a_channel_gets_the_emergency_post_first_and_the_schedule_when_it_ends():
    [started] = posts_for([day(TODAY, (600, 720))], day(TODAY, state=EMERGENCY))
    assert started.priority == PRIORITY_EMERGENCY
    assert started.caption.startswith("🚨 <b>Аварійні відключення, четвер, 20 листопада</b>")
    assert texts_for("uk").emergency in started.caption
    [ended] = posts_for([day(TODAY, state=EMERGENCY)], day(TODAY, (600, 720)))
    assert ended.priority == PRIORITY_EMERGENCY
    assert ended.caption.startswith("✅ <b>Аварійні відключення скасовано, знову діє графік")
    assert "10:00–12:00" in ended.caption
    assert started.key_prefix(["a"]) != started.key_prefix(["b"])


def test_timer_and_reminders_claim_no_times_once_the_day_turns_emergency():
    check, _ = checked([day(TODAY, (720, 840))], day(TODAY, (720, 840), state=EMERGENCY))
    days = list((check.keep or {}).values())
    timeline = build_timeline(days, ZONE, NOW)
    text = render_timer(texts_for("uk"), timeline, zone=ZONE, now=NOW)
    assert texts_for("uk").timer_emergency in text and not CLOCK.search(text)
    plan = queue_reminders(KYIV, "3.1", days, NOW, timedelta(hours=12))
    assert plan.standing == ()


def test_a_post_about_two_days_leads_with_the_emergency():
    stored = [day(TODAY, (600, 720)), day(TOMORROW, state=DayState.PENDING)]
    [post] = posts_for(stored, day(TODAY, state=EMERGENCY), day(TOMORROW, (60, 120)))
    assert post.priority == PRIORITY_EMERGENCY
    assert post.caption.startswith("🚨 <b>Аварійні відключення, четвер, 20 листопада</b>")
    assert "01:00–02:00" in post.caption  # tomorrow, published, is in the schedule below
