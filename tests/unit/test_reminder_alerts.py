"""Reminder messages of a queue: which stand at a moment, their keys, and their texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import fingerprint
from esvitlo.domain.delivery import PRIORITY_REMINDER
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.reminder_alerts import (
    Recipient,
    addressed,
    chosen_leads,
    queue_reminders,
    reminder_topic,
)
from esvitlo.domain.reminders import Edge, plan_reminders
from esvitlo.domain.render import render_reminder
from esvitlo.domain.texts import texts_for

KYIV = ZoneInfo("Europe/Kyiv")
REGION = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
D = date(2025, 11, 20)
WINDOW = timedelta(hours=3)


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(Span(hm(s[:5]), hm(s[6:])) for s in spans))


def local(on: date, clock: str) -> datetime:
    return datetime.combine(on, datetime.strptime(clock, "%H:%M").time(), KYIV).astimezone(UTC)


def stand(now: str, *days: DaySchedule, window: timedelta = WINDOW) -> set[tuple[str, int, str]]:
    plan = queue_reminders(REGION, "3.1", days, local(D, now), window)
    return {
        (a.reminder.edge.value, a.reminder.lead, f"{a.due_at.astimezone(KYIV):%H:%M}")
        for a in plan.standing
    }


def test_every_lead_time_and_both_edges_within_the_window():
    assert stand("12:30", day(D, "14:00-15:00")) == {
        ("off", 0, "14:00"),
        ("off", 5, "13:55"),
        ("off", 10, "13:50"),
        ("off", 15, "13:45"),
        ("off", 30, "13:30"),
        ("off", 60, "13:00"),
        ("on", 0, "15:00"),
        ("on", 5, "14:55"),
        ("on", 10, "14:50"),
        ("on", 15, "14:45"),
        ("on", 30, "14:30"),
        ("on", 60, "14:00"),
    }
    # the window ends at 13:35: later reminders are planned by a later run
    assert stand("10:35", day(D, "14:00-15:00")) == {("off", 60, "13:00"), ("off", 30, "13:30")}


NOW = ("off", 0, "14:00")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # due at 13:45; half its 15 minutes later (13:52:30) it is too late to help
        ("13:45", {("off", 15, "13:45"), ("off", 10, "13:50"), ("off", 5, "13:55"), NOW}),
        ("13:52", {("off", 15, "13:45"), ("off", 10, "13:50"), ("off", 5, "13:55"), NOW}),
        ("13:53", {("off", 10, "13:50"), ("off", 5, "13:55"), NOW}),
        # the outage began: only "at the moment itself" stands, for two minutes
        ("14:00", {NOW}),
        ("14:01", {NOW}),
        ("14:02", set()),
    ],
)
def test_a_reminder_stands_until_half_its_lead_time_is_gone(now, expected):
    only_off = {r for r in stand(now, day(D, "14:00-18:00")) if r[0] == "off"}
    assert only_off == expected


def test_only_reminders_still_ahead_are_upcoming():
    plan = queue_reminders(REGION, "3.1", [day(D, "14:00-18:00")], local(D, "13:50"), WINDOW)
    assert {a.reminder.lead for a in plan.upcoming if a.reminder.edge is Edge.OFF} == {5, 0}
    assert all(a.due_at > plan.now for a in plan.upcoming)
    keys = {a.key_prefix for a in plan.standing}
    assert {a.key_prefix for a in plan.upcoming} < keys


def test_keys_topics_priority_and_the_basis():
    days = [day(D, "14:00-18:00"), day(D + timedelta(days=1), state=DayState.PENDING)]
    plan = queue_reminders(REGION, "3.1", days, local(D, "13:00"), WINDOW)
    alert = next(a for a in plan.standing if a.reminder.edge is Edge.OFF and a.reminder.lead == 15)
    assert plan.topic == alert.topic == reminder_topic("kyiv", "3.1") == "reminder:kyiv:3.1"
    assert alert.key_prefix == "reminder:kyiv:3.1:off:15:20251120T1200Z-20251120T1600Z:"
    assert alert.priority == PRIORITY_REMINDER
    assert plan.basis == {d.date: fingerprint(d) for d in days}


def test_nothing_stands_for_unpublished_or_emergency_days():
    assert stand("12:00", day(D, "14:00-18:00", state=DayState.EMERGENCY)) == set()
    assert stand("12:00", day(D, "14:00-18:00", state=DayState.PENDING)) == set()
    assert stand("12:00") == set()


def test_texts_in_both_languages():
    window = timedelta(hours=6)
    plan = queue_reminders(REGION, "3.1", [day(D, "14:00-18:00")], local(D, "13:00"), window)
    texts = {(a.reminder.edge, a.reminder.lead): a for a in plan.standing}
    off, on = texts[Edge.OFF, 15], texts[Edge.ON, 15]
    assert off.text("uk") == (
        "⏰ Через <b>15 хв</b> — відключення: 14:00–18:00 (4 год)\n<i>Київ · Черга 3.1</i>"
    )
    assert off.text("en") == (
        "⏰ Outage in <b>15 min</b>: 14:00–18:00 (4 h)\n<i>Kyiv · Queue 3.1</i>"
    )
    assert on.text("uk").startswith("⏰ Через <b>15 хв</b> має зʼявитися світло (о 18:00)")
    assert on.text("en").startswith("⏰ Power should be back in <b>15 min</b> (at 18:00)")
    at_once = texts[Edge.OFF, 0]
    assert at_once.text("uk").startswith(
        "⏰ <b>Зараз</b> за графіком починається відключення: 14:00–18:00 (4 год)"
    )
    assert texts[Edge.ON, 0].text("en").startswith("⏰ Power should be back <b>now</b>")
    assert off.text("pl") == off.text("uk")


def _only(days, now, **leads):
    [reminder] = plan_reminders(days, KYIV, now, **leads)
    return reminder


def test_render_across_midnight_at_midnight_and_on_a_dst_day():
    uk = texts_for("uk")
    tomorrow = D + timedelta(days=1)
    night = (day(D, "22:00-24:00"), day(tomorrow, "00:00-02:00"))
    off = _only(night, local(D, "20:00"), before_off=(60,), before_on=())
    text = render_reminder(uk, off, queue="3.1", region="Київ", zone=KYIV)
    assert "Через <b>1 год</b> — відключення: 22:00–02:00 (4 год)" in text
    to_midnight = (day(D, "22:00-24:00"), day(tomorrow))
    on = _only(to_midnight, local(D, "20:00"), before_off=(), before_on=(30,))
    assert "(о 00:00)" in render_reminder(uk, on, queue="3.1", region="Київ", zone=KYIV)
    off = _only(to_midnight, local(D, "20:00"), before_off=(5,), before_on=())
    assert "22:00–24:00 (2 год)" in render_reminder(uk, off, queue="3.1", region="Київ", zone=KYIV)
    spring = date(2026, 3, 29)  # 03:00 never happens: 02:00-05:00 lasts two hours
    dst = (day(spring, "02:00-05:00"), day(spring + timedelta(days=1)))
    off = _only(dst, datetime(2026, 3, 28, 22, tzinfo=UTC), before_off=(30,), before_on=())
    assert "02:00–05:00 (2 год)" in render_reminder(uk, off, queue="3.1", region="Київ", zone=KYIV)


def test_names_are_escaped():
    off = _only([day(D, "14:00-18:00")], local(D, "10:00"), before_off=(15,), before_on=())
    text = render_reminder(texts_for("en"), off, queue="<1>", region="A & B", zone=KYIV)
    assert text.endswith("<i>A &amp; B · Queue &lt;1&gt;</i>")


def test_each_recipient_is_addressed_the_reminders_of_their_own_lead_times():
    plan = queue_reminders(REGION, "3.1", [day(D, "14:00-15:00")], local(D, "12:30"), WINDOW)
    both = Recipient(7, "en", chosen_leads(True, (15,), (5,)))
    off_only = Recipient(8, "uk", chosen_leads(True, (60, 15), ()))
    silent = Recipient(9, "uk", chosen_leads(False, (15,), (5,)))
    wanted = addressed(plan, [both, off_only, silent])
    got = {(r.chat_id, a.reminder.edge.value, a.reminder.lead) for a, r in wanted.values()}
    assert got == {(7, "off", 15), (7, "on", 5), (8, "off", 60), (8, "off", 15)}
    assert all(key == f"{a.key_prefix}{r.chat_id}" for key, (a, r) in wanted.items())
    assert silent.leads == frozenset()


def test_a_reminder_is_headed_by_the_recipients_own_name_for_the_address():
    plan = queue_reminders(REGION, "3.1", [day(D, "14:00-18:00")], local(D, "13:00"), WINDOW)
    alert = next(a for a in plan.standing if a.reminder.edge is Edge.OFF and a.reminder.lead == 15)
    leads = chosen_leads(True, (15,), ())
    assert alert.text_for(Recipient(1, "uk", leads)) == alert.text("uk")
    named = alert.text_for(Recipient(1, "en", leads, "Mum's <flat>"))
    assert named == f"🏠 <b>Mum&#x27;s &lt;flat&gt;</b> · {alert.text('en')}"
