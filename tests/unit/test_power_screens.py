"""Power-at-home screens (domain.power_screens) and heartbeat set-up (domain.heartbeat_setup)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.addresses import InvalidTarget, parse_target
from esvitlo.domain.heartbeat_setup import heartbeat_snippets, heartbeat_url, is_local_base
from esvitlo.domain.monitors import Monitor, MonitorKind, PowerOutage
from esvitlo.domain.power import Power, PowerState
from esvitlo.domain.power_screens import (
    ScreenTexts,
    answered_text,
    confirm_text,
    heartbeat_text,
    monitor_screen,
    power_screen,
    problem_text,
    stats_text,
    too_many_text,
)
from esvitlo.domain.power_stats import power_stats
from esvitlo.domain.texts import power_texts_for, texts_for

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)  # 14:00 in Kyiv


def screen_texts(lang: str = "uk") -> ScreenTexts:
    return ScreenTexts(power_texts_for(lang), texts_for(lang), KYIV)


def monitor(**changes: object) -> Monitor:
    base = Monitor(
        id=1, user_id=1, subscription_id=1, kind=MonitorKind.PROBE, target="myhome.ddns.net:8291",
        secret_hash=None, beat_every=timedelta(0), notify_user=True, notify_channel=False,
        created_at=NOW - timedelta(days=3),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "local"),
    [
        ("http://0.0.0.0:8080", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:8080", True),
        ("http://192.168.1.10:8080", True),
        ("http://esvitlo:8080", True),
        ("http://router.lan", True),
        ("http://[::1]:8080", True),
        ("https://bot.example.com", False),
        ("http://93.184.216.34:8080", False),
    ],
)
def test_local_base(base: str, local: bool):
    assert is_local_base(base) is local


def test_snippets_call_the_url_at_the_period():
    url = heartbeat_url("https://bot.example.com/", "s3cr3t-SECRET_0123456789")
    assert url == "https://bot.example.com/hb/s3cr3t-SECRET_0123456789"
    kinds = {s.kind: s.code for s in heartbeat_snippets(url, timedelta(minutes=5))}
    assert set(kinds) == {"curl", "mikrotik", "home_assistant", "esp32"}
    assert kinds["curl"].startswith("*/5 * * * * curl") and url in kinds["curl"]
    assert "/system scheduler add" in kinds["mikrotik"] and "interval=300s" in kinds["mikrotik"]
    assert "/tool fetch" in kinds["mikrotik"]
    assert "rest_command:" in kinds["home_assistant"] and 'minutes: "/5"' in kinds["home_assistant"]
    assert "WiFiClientSecure" in kinds["esp32"] and "delay(300000);" in kinds["esp32"]
    thirty = {s.kind: s.code for s in heartbeat_snippets(url, timedelta(seconds=30))}
    assert "sleep 30" in thirty["curl"] and 'seconds: "/30"' in thirty["home_assistant"]


def test_heartbeat_text_escapes_and_puts_code_in_pre_blocks():
    url = "http://0.0.0.0:8080/hb/abc"
    text = heartbeat_text(
        "Дім <3",
        url,
        timedelta(seconds=60),
        power_texts_for("uk"),
        local_base="http://0.0.0.0:8080",
    )
    assert "Дім &lt;3" in text and f"<code>{url}</code>" in text
    assert text.count("<pre>") == 4 and "&quot;" in text  # the MikroTik quotes, escaped
    assert "ESVITLO_PUBLIC_URL" in text and "кожні 1 хв" in text
    assert "ESVITLO_PUBLIC_URL" not in heartbeat_text(
        "x", url, timedelta(seconds=60), power_texts_for("en")
    )


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_a_heartbeat_link_is_said_to_be_shown_once_and_a_renewed_one_says_so(lang: str):
    t = power_texts_for(lang)
    url = "https://svitlo.example.org/hb/abc"
    added = heartbeat_text("Дім", url, timedelta(seconds=60), t)
    renewed = heartbeat_text("Дім", url, timedelta(seconds=60), t, renewed=True)
    assert t.link_shown_once in added and t.link_shown_once in renewed
    assert added.startswith("✅") and renewed.startswith("🔑")
    assert f"<code>{url}</code>" in renewed and renewed.count("<pre>") == 4


def test_monitor_screen_states():
    t = screen_texts("en")
    off = monitor(state=PowerState(Power.OFF, NOW - timedelta(hours=1), True))
    text = monitor_screen("Home", off, NOW, t, has_channel=False)
    assert "Power off since 13:00" in text and "probing myhome.ddns.net:8291" in text
    assert "Who is told: me" in text and "No channel" not in text
    adopted = monitor(
        state=PowerState(Power.ON, NOW - timedelta(days=1), False), notify_channel=True
    )
    text = monitor_screen("Home", adopted, NOW, t, has_channel=False)
    assert "Power on since 19 November at 14:00 or earlier" in text
    assert "me and my channel" in text and "No channel is linked" in text
    beat = monitor(
        kind=MonitorKind.HEARTBEAT,
        target="",
        secret_hash="x" * 64,
        beat_every=timedelta(seconds=30),
    )
    text = monitor_screen("<Дача>", beat, NOW, t, has_channel=True)
    assert "&lt;Дача&gt;" in text and "heartbeat every 30 s" in text and "No heartbeat yet" in text
    assert "Not known yet" in text


def test_power_screen_lists_monitors_or_says_none():
    t = power_texts_for("uk")
    assert "Моніторів ще немає" in power_screen([], t)
    text = power_screen([("Дім", monitor(state=PowerState(Power.ON, NOW, True)))], t)
    assert "🟢 <b>Дім</b> · перевірка myhome.ddns.net:8291" in text


def test_refusals_are_explained_in_plain_words():
    t = power_texts_for("en")
    with pytest.raises(InvalidTarget) as caught:
        parse_target("192.168.1.1")
    assert "private address" in problem_text(caught.value, t)  # typed: nothing new told
    with pytest.raises(InvalidTarget) as caught:
        parse_target("postgres:5432")
    assert "full name with a dot" in problem_text(caught.value, t)


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_reply_is_reachable_or_not_and_nothing_more(lang):
    t = power_texts_for(lang)
    target = parse_target("home.example.com:8291")
    added = answered_text(target, t)
    assert "home.example.com:8291" in added and "tcp" not in added and "ms" not in added
    unreachable = confirm_text(target, t)
    assert unreachable == t.probe_unreachable.format(target="home.example.com:8291")


def test_a_router_that_is_not_reachable_gets_advice():
    t = power_texts_for("en")
    text = confirm_text(parse_target("93.184.216.34"), t)
    assert "not reachable" in text and "only public internet addresses" in text
    assert "forward a port" in text and "heartbeat" in text


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (60, 1), (61, 2), (299, 5), (600, 10)])
def test_too_many_checks_says_when_to_try_again(seconds, minutes):
    t = power_texts_for("uk")
    assert too_many_text(timedelta(seconds=seconds), t) == t.probe_too_many.format(minutes=minutes)
    assert f"за {minutes} хв" in too_many_text(timedelta(seconds=seconds), t)


def test_stats_text():
    t = screen_texts("en")
    week = power_stats(
        [PowerOutage(NOW - timedelta(hours=5), NOW - timedelta(hours=3))],
        since=NOW - timedelta(days=7), until=NOW, created_at=NOW - timedelta(days=3),
    )  # fmt: skip
    month = power_stats([], since=NOW - timedelta(days=30), until=NOW, created_at=NOW)
    text = stats_text("Home & co", {30: month, 7: week}, NOW, t)
    assert text.index("Last 7 days") < text.index("Last 30 days")
    assert "Home &amp; co" in text and "Outages: 1" in text and "Longest: 2 h" in text
    assert "Power was on 97.2% of the time" in text and "monitored since 17 November" in text
    assert "The monitor did not exist yet." in text
    assert "97,2%" in stats_text("Дім", {7: week}, NOW, screen_texts("uk"))  # decimal comma


def test_a_monitor_younger_than_a_week_gets_one_block_not_two_alike():
    t = screen_texts("en")
    created = NOW - timedelta(days=3)
    outages = [PowerOutage(NOW - timedelta(hours=5), NOW - timedelta(hours=3))]
    windows = {
        days: power_stats(outages, since=NOW - timedelta(days=days), until=NOW, created_at=created)
        for days in (7, 30)
    }
    text = stats_text("Home", windows, NOW, t)
    assert "Last 7 days" in text and "Last 30 days" not in text
    older = {
        days: power_stats(
            outages, since=NOW - timedelta(days=days), until=NOW,
            created_at=NOW - timedelta(days=10),
        )
        for days in (7, 30)
    }  # fmt: skip
    both = stats_text("Home", older, NOW, t)
    assert "Last 7 days" in both and "Last 30 days" in both
    assert "No schedule for this time" in text
