"""Power alert texts: the change, how long the previous state lasted, the schedule's view."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.crowd import OthersVerdict
from esvitlo.domain.model import DaySchedule, DayState, Span
from esvitlo.domain.monitors import Monitor, MonitorKind, WatchedMonitor
from esvitlo.domain.power import Power, Transition
from esvitlo.domain.power_render import alert_texts, power_messages, render_power_alert
from esvitlo.domain.timeline import UNKNOWN, build_timeline

KYIV = ZoneInfo("Europe/Kyiv")
D = date(2026, 11, 20)


def kyiv(clock: str, on: date = D) -> datetime:
    h, m = (int(x) for x in clock.split(":"))
    return datetime(on.year, on.month, on.day, h, m, tzinfo=KYIV).astimezone(UTC)


def days(*spans: tuple[int, int], state: DayState = DayState.PUBLISHED) -> list[DaySchedule]:
    return [DaySchedule(D, state, tuple(Span(a * 60, b * 60) for a, b in spans))]


def render(power: Power, at: str, schedule: list[DaySchedule] | None, lang: str = "uk") -> str:
    moment = kyiv(at)
    timeline = build_timeline(schedule, KYIV, moment) if schedule is not None else UNKNOWN
    transition = Transition(power, moment, moment - timedelta(hours=2, minutes=5))
    return render_power_alert(transition, "Дім", timeline, KYIV, alert_texts(lang))


@pytest.mark.parametrize(
    ("power", "at", "schedule", "expected"),
    [
        (
            Power.OFF,
            "14:05",
            days((14, 18)),
            "🔴 <b>Світло зникло</b> о 14:05 · Дім\nБуло 2 год 5 хв.\n"
            "За графіком світло мало б повернутися о 18:00.",
        ),
        (
            Power.OFF,
            "22:10",
            days((22, 24)),  # the outage runs to the end of what is known
            "🔴 <b>Світло зникло</b> о 22:10 · Дім\nБуло 2 год 5 хв.\n"
            "За графіком зараз відключення; коли повернеться, графік не каже.",
        ),
        (
            Power.OFF,
            "09:00",
            days((14, 18)),
            "🔴 <b>Світло зникло</b> о 09:00 · Дім\nБуло 2 год 5 хв.\n"
            "Цього відключення немає в графіку.",
        ),
        (
            Power.ON,
            "11:00",
            days((14, 18)),
            "🟢 <b>Світло зʼявилося</b> о 11:00 · Дім\nНе було 2 год 5 хв.\n"
            "Наступне відключення за графіком: 14:00–18:00.",
        ),
        (
            Power.ON,
            "15:00",
            days((14, 18)),
            "🟢 <b>Світло зʼявилося</b> о 15:00 · Дім\nНе було 2 год 5 хв.\n"
            "За графіком зараз відключення до 18:00.",
        ),
        (
            Power.ON,
            "19:00",
            days((14, 18)),
            "🟢 <b>Світло зʼявилося</b> о 19:00 · Дім\nНе було 2 год 5 хв.\n"
            "Відключень за графіком більше не заплановано.",
        ),
        # no schedule, or an emergency: the schedule is not quoted
        (Power.OFF, "14:05", None, "🔴 <b>Світло зникло</b> о 14:05 · Дім\nБуло 2 год 5 хв."),
        (
            Power.OFF,
            "14:05",
            days(state=DayState.EMERGENCY),
            "🔴 <b>Світло зникло</b> о 14:05 · Дім\nБуло 2 год 5 хв.",
        ),
    ],
)
def test_alert_texts(power: Power, at: str, schedule, expected: str) -> None:
    assert render(power, at, schedule) == expected


def test_english_alert() -> None:
    text = render(Power.ON, "11:00", days((14, 18)), "en")
    assert text == (
        "🟢 <b>Power is back</b> at 11:00 · Дім\nIt was off for 2 h 5 min.\n"
        "Next planned outage: 14:00–18:00."
    )


def test_messages_escape_the_label_and_reach_owner_and_channels() -> None:
    monitor = Monitor(
        1, 1, 1, MonitorKind.PROBE, "93.184.216.34", None, timedelta(60), True, True, kyiv("00:00")
    )
    watched = WatchedMonitor(monitor, 42, "uk", "kyiv", "3.1", "Батьки <3", (-100_1, -100_2))
    transition = Transition(Power.OFF, kyiv("14:05"), None)
    messages = power_messages(watched, transition, UNKNOWN, KYIV)
    assert [(m.chat_id, m.is_channel) for m in messages] == [
        (42, False),
        (-100_1, True),
        (-100_2, True),
    ]
    assert messages[0].text == "🔴 <b>Світло зникло</b> о 14:05 · Батьки &lt;3"
    silent_owner = WatchedMonitor(monitor, None, "uk", "kyiv", "3.1", "x")
    assert power_messages(silent_owner, transition, UNKNOWN, KYIV) == []


@pytest.mark.parametrize(
    ("power", "verdict", "line"),
    [
        (Power.OFF, OthersVerdict.ONLY_YOU, "лише у вас"),
        (Power.OFF, OthersVerdict.QUEUE_OFF, "відключення всієї черги"),
        (Power.ON, OthersVerdict.QUEUE_OFF, None),  # coming back says nothing of the others
        (Power.OFF, None, None),  # too few others: nothing
    ],
)
def test_a_power_alert_says_whether_it_is_only_you_or_the_whole_queue(power, verdict, line):
    moment = kyiv("09:00")
    transition = Transition(power, moment, moment - timedelta(hours=2))
    timeline = build_timeline(days((14, 18)), KYIV, moment)
    text = render_power_alert(transition, "Дім", timeline, KYIV, alert_texts("uk"), verdict)
    if line is None:
        assert "👥" not in text
    else:
        assert text.splitlines()[-1].startswith("👥") and line in text
