"""Messages: schedule, change and timer in both languages; escaping, trust and limits."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from esvitlo.domain.changes import ChangeKind, DayChange, check_queue, diff_spans
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.model import (
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    Span,
)
from esvitlo.domain.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    format_duration,
    render_change,
    render_schedule,
    render_timer,
    text_length,
)
from esvitlo.domain.texts import Texts, en, texts_for, uk
from esvitlo.domain.timeline import build_timeline

from fixture_files import fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2025, 11, 20)
TOMORROW = TODAY + timedelta(days=1)


def span(text: str) -> Span:
    """A span from ``"HH:MM-HH:MM"``."""
    start, end = (int(c[:2]) * 60 + int(c[3:]) for c in text.split("-"))
    return Span(start, end)


def day(on: date, *spans: str, state: DayState = DayState.PUBLISHED) -> DaySchedule:
    return DaySchedule(on, state, tuple(span(s) for s in spans))


def at(on: date, clock: str) -> datetime:
    """An aware local instant of a wall-clock ``HH:MM``."""
    return datetime(on.year, on.month, on.day, int(clock[:2]), int(clock[3:]), tzinfo=KYIV)


NOON = at(TODAY, "12:00")
NO_OUTAGES = {"uk": "Відключень не заплановано", "en": "No outages planned"}
LANGS = ["uk", "en"]


def kyiv(name: str) -> RegionSnapshot:
    path = fixtures_dir() / "outage-data-ua" / "kyiv" / name
    return parse_document(decode_json(path.read_bytes()), region="kyiv")


def assert_valid_html(text: str) -> None:
    """Only <b> and <i>, balanced on every line, and no stray angle brackets."""
    for line in text.split("\n"):
        stack: list[str] = []
        for closing, tag in re.findall(r"<(/?)([^<>]*)>", line):
            assert tag in {"b", "i"}, f"unexpected tag {tag!r} in {line!r}"
            if closing:
                assert stack and stack.pop() == tag, f"unbalanced {line!r}"
            else:
                stack.append(tag)
        assert not stack, f"unclosed tag in {line!r}"
        assert not re.search(r"[<>]", re.sub(r"</?[bi]>", "", line)), line


def schedule_text(
    lang: str,
    schedule: QueueSchedule | None,
    status: DataStatus = DataStatus.FRESH,
    now: datetime = NOON,
    *,
    updated_at: datetime | None = None,
    stale_since: datetime | None = None,
    limit: int = TEXT_LIMIT,
) -> str:
    text = render_schedule(
        texts_for(lang),
        schedule,
        queue="3.1",
        region="Київ",
        zone=KYIV,
        now=now,
        status=status,
        updated_at=updated_at,
        stale_since=stale_since,
        limit=limit,
    )
    assert_valid_html(text)
    return text


@pytest.mark.parametrize(
    ("minutes", "uk_text", "en_text"),
    [
        (0, "0 хв", "0 min"),
        (30, "30 хв", "30 min"),
        (60, "1 год", "1 h"),
        (150, "2 год 30 хв", "2 h 30 min"),
        (450, "7 год 30 хв", "7 h 30 min"),
        (1440, "24 год", "24 h"),
        (-5, "0 хв", "0 min"),
    ],
)
def test_format_duration(minutes: int, uk_text: str, en_text: str) -> None:
    assert format_duration(minutes, uk.TEXTS) == uk_text
    assert format_duration(minutes, en.TEXTS) == en_text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("uk", uk.TEXTS),
        ("en", en.TEXTS),
        ("en-GB", en.TEXTS),
        ("EN_us", en.TEXTS),
        ("de", uk.TEXTS),
        ("ru", uk.TEXTS),
        ("", uk.TEXTS),
        (None, uk.TEXTS),
    ],
)
def test_texts_for(code: str | None, expected: Texts) -> None:
    assert texts_for(code) is expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "uk",
            [
                "Київ · Черга 3.1",
                "<b>Сьогодні, четвер, 20 листопада</b>",
                "🔴 03:00–10:30 (7 год 30 хв)",
                "🔴 13:30–21:00 (7 год 30 хв)",
                "Загалом без світла: <b>15 год</b>",
                "<b>Завтра, пʼятниця, 21 листопада</b>",
                "🔴 00:00–04:00 (4 год)",
                "🔴 21:00–24:00 (3 год)",
                "Загалом без світла: <b>16 год</b>",
                "20 листопада о 21:12",
                uk.TEXTS.fresh,
            ],
        ),
        (
            "en",
            [
                "Kyiv · Queue 3.1",
                "<b>Today, Thursday, 20 November</b>",
                "🔴 03:00–10:30 (7 h 30 min)",
                "Total without power: <b>15 h</b>",
                "<b>Tomorrow, Friday, 21 November</b>",
                "🔴 06:00–07:30 (1 h 30 min)",
                "Total without power: <b>16 h</b>",
                "20 November at 21:12",
                en.TEXTS.fresh,
            ],
        ),
    ],
)
def test_schedule_of_a_real_queue(lang: str, expected: list[str]) -> None:
    snapshot = kyiv("2025-11-20T1936_a1227.json")
    text = render_schedule(
        texts_for(lang),
        snapshot.queues["3.1"],
        queue="3.1",
        region="Київ" if lang == "uk" else "Kyiv",
        zone=KYIV,
        now=at(TODAY, "21:36"),
        status=DataStatus.FRESH,
        updated_at=snapshot.data_updated_at,
    )
    assert_valid_html(text)
    for part in expected:
        assert part in text
    assert NO_OUTAGES[lang] not in text


@pytest.mark.parametrize("lang", LANGS)
def test_pending_tomorrow_is_not_no_outages(lang: str) -> None:
    snapshot = kyiv("2025-11-20T1526_a1212.json")
    text = schedule_text(lang, snapshot.queues["3.1"], now=at(TODAY, "17:26"))
    texts = texts_for(lang)
    assert texts.pending_tomorrow in text
    assert texts.possible_pending_heading in text  # the weekly template, clearly apart
    assert NO_OUTAGES[lang] not in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("status", "since", "expected"),
    [
        (DataStatus.STALE, datetime(2025, 11, 20, 15, 26, tzinfo=UTC), "stale_since"),
        (DataStatus.STALE, None, "stale"),
        (DataStatus.SOURCE_ERROR, None, "source_error"),
        (DataStatus.FRESH, None, "fresh"),
    ],
)
def test_freshness_line(
    lang: str, status: DataStatus, since: datetime | None, expected: str
) -> None:
    schedule = QueueSchedule("3.1", None, (day(TODAY, "08:00-10:00"),))
    text = schedule_text(lang, schedule, status, stale_since=since)
    texts = texts_for(lang)
    template: str = getattr(texts, expected)
    assert template.split("{")[0] in text
    if since is not None:
        assert "17:26" in text  # 15:26 UTC in Kyiv
    others = {"stale", "source_error", "fresh"} - {expected.removesuffix("_since")}
    for other in others:
        assert getattr(texts, other) not in text
    assert "08:00–10:00 (2" in text  # the last known schedule is still shown


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("status", [DataStatus.FRESH, DataStatus.STALE, DataStatus.SOURCE_ERROR])
def test_missing_data_is_never_no_outages(lang: str, status: DataStatus) -> None:
    texts = texts_for(lang)
    old = QueueSchedule("3.1", None, (day(TODAY - timedelta(days=2), "08:00-10:00"),))
    for schedule in (None, QueueSchedule("3.1", None, ()), old):
        text = schedule_text(lang, schedule, status)
        assert NO_OUTAGES[lang] not in text
        assert texts.missing_queue in text or texts.missing_day in text


@pytest.mark.parametrize("lang", LANGS)
def test_stale_tomorrow_absent_is_missing_not_pending(lang: str) -> None:
    texts = texts_for(lang)
    schedule = QueueSchedule("3.1", None, (day(TODAY, "08:00-10:00"),))
    assert texts.pending_tomorrow in schedule_text(lang, schedule)
    stale = schedule_text(lang, schedule, DataStatus.STALE)
    assert texts.pending_tomorrow not in stale
    assert texts.missing_day in stale


@pytest.mark.parametrize("lang", LANGS)
def test_empty_published_day_says_no_outages_only_when_fresh(lang: str) -> None:
    texts = texts_for(lang)
    schedule = QueueSchedule("3.1", None, (day(TODAY), day(TOMORROW)))
    fresh = schedule_text(lang, schedule)
    assert fresh.count(NO_OUTAGES[lang]) == 2
    stale = schedule_text(lang, schedule, DataStatus.STALE)
    assert NO_OUTAGES[lang] not in stale
    assert texts.no_outages_last_known in stale


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_day(lang: str) -> None:
    texts = texts_for(lang)
    emergency = day(TODAY, state=DayState.EMERGENCY)
    text = schedule_text(lang, QueueSchedule("3.1", None, (emergency, day(TOMORROW))))
    assert texts.emergency in text
    assert text.count(texts.total_line.split("{")[0]) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_emergency_day_with_the_sources_hours_lists_them(lang: str) -> None:
    texts = texts_for(lang)
    emergency = day(TODAY, "08:00-10:00", state=DayState.EMERGENCY)
    text = schedule_text(lang, QueueSchedule("3.1", None, (emergency, day(TOMORROW))))
    assert texts.emergency not in text and texts.emergency_times in text
    assert text.index(texts.emergency_times) < text.index("08:00–10:00")
    assert text.count(texts.total_line.split("{")[0]) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_possible_outages_show_only_while_a_day_is_unpublished(lang: str) -> None:
    texts = texts_for(lang)
    today = DaySchedule(TODAY, DayState.PUBLISHED, (span("08:00-10:00"),), (span("08:00-12:00"),))
    tomorrow = DaySchedule(TOMORROW, DayState.PENDING, (), (span("14:00-18:00"),))
    text = schedule_text(lang, QueueSchedule("3.1", None, (today, tomorrow)))
    assert "10:00–12:00" not in text  # the published fact overrides the weekly template
    heading = text.index(texts.possible_pending_heading)
    assert text.index("🔴 08:00–10:00") < heading < text.index("🟡 14:00–18:00")
    total = texts.total_line.format(duration=format_duration(120, texts))
    assert total in text and text.count(total) == 1  # possible time is never in a total


@pytest.mark.parametrize("lang", LANGS)
def test_outage_past_midnight_is_noted(lang: str) -> None:
    texts = texts_for(lang)
    days = (day(TODAY, "22:00-24:00"), day(TOMORROW, "00:00-02:00"))
    text = schedule_text(lang, QueueSchedule("3.1", None, days))
    assert "22:00–24:00 (2" in text and texts.continues_next_day in text
    assert "00:00–02:00 (2" in text and texts.continued_from_previous_day in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("on", "duration"), [(date(2026, 3, 29), "2"), (date(2026, 10, 25), "4")])
def test_dst_durations(lang: str, on: date, duration: str) -> None:
    schedule = QueueSchedule("3.1", None, (day(on, "02:00-05:00"),))
    text = schedule_text(lang, schedule, now=at(on, "01:00"))
    unit = "год" if lang == "uk" else "h"
    assert f"02:00–05:00 ({duration} {unit})" in text


HOSTILE = "<b>x</b>&"
ESCAPED = "&lt;b&gt;x&lt;/b&gt;&amp;"


@pytest.mark.parametrize("lang", LANGS)
def test_feed_text_is_escaped(lang: str) -> None:
    texts = texts_for(lang)
    days = (day(TODAY, "08:00-10:00"), day(TOMORROW, "08:00-10:00"))
    schedule = QueueSchedule(HOSTILE, HOSTILE, days)
    change = DayChange(ChangeKind.TOMORROW_APPEARED, None, days[1], diff_spans((), days[1].outages))
    timeline = build_timeline(days, KYIV, NOON)
    q, r = HOSTILE, HOSTILE
    messages = [
        render_schedule(
            texts, schedule, queue=q, region=r, zone=KYIV, now=NOON, status=DataStatus.FRESH
        ),
        render_change(texts, change, queue=q, region=r, zone=KYIV, name=q),
        render_timer(texts, timeline, queue=q, region=r, zone=KYIV, now=NOON, name=q),
    ]
    for text in messages:
        assert_valid_html(text)
        assert HOSTILE not in text
        assert text.count(ESCAPED) == 2  # region and queue


def crowded_day(on: date) -> DaySchedule:
    """48 separate half-hour outages (unmerged on purpose) plus possible ones."""
    spans = tuple(Span(m, m + 30) for m in range(0, 1440, 30))
    return DaySchedule(on, DayState.PUBLISHED, spans, (Span(0, 1440),))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("limit", [CAPTION_LIMIT, TEXT_LIMIT, 300])
def test_limits(lang: str, limit: int) -> None:
    texts = texts_for(lang)
    days = (crowded_day(TODAY), crowded_day(TOMORROW))
    schedule = QueueSchedule("3.1", "Черга 3.1 " * 20, days)
    text = schedule_text(lang, schedule, updated_at=NOON, limit=limit)
    assert text_length(text) <= limit
    assert texts.fresh in text  # the footer survives truncation
    if limit < TEXT_LIMIT:
        assert texts.truncated in text
    change = DayChange(
        ChangeKind.TODAY_CHANGED,
        day(TODAY, "01:00-23:00"),
        days[0],
        diff_spans(day(TODAY, "01:00-23:00").outages, days[0].outages),
    )
    many = render_change(texts, [change] * 3, queue="3.1", region="Київ", zone=KYIV, limit=limit)
    timer = render_timer(
        texts,
        build_timeline(days, KYIV, at(TODAY, "00:10")),
        zone=KYIV,
        now=at(TODAY, "00:10"),
        queue="3.1",
        region="Київ",
        limit=limit,
    )
    for message in (text, many, timer):
        assert_valid_html(message)
        assert text_length(message) <= limit


def test_untruncated_text_fits_the_message_limit() -> None:
    days = (crowded_day(TODAY), crowded_day(TOMORROW))
    text = schedule_text("uk", QueueSchedule("3.1", None, days))
    assert uk.TEXTS.truncated not in text
    assert text.count("Загалом без світла: <b>24 год</b>") == 2


@pytest.mark.parametrize(
    ("lang", "shifted", "tomorrow"),
    [
        ("uk", "Було 13:30–20:30, стало 13:30–21:00", "Зʼявився графік на завтра"),
        ("en", "Was 13:30–20:30, now 13:30–21:00", "Tomorrow's schedule is out"),
    ],
)
def test_change_of_a_real_queue(lang: str, shifted: str, tomorrow: str) -> None:
    before, after = kyiv("2025-11-20T1526_a1212.json"), kyiv("2025-11-20T1936_a1227.json")
    stored = {d.date: d for d in before.queues["3.1"].days}
    check = check_queue(stored, after.queues["3.1"], TODAY)
    assert [c.kind for c in check.changes] == [
        ChangeKind.TODAY_CHANGED,
        ChangeKind.TOMORROW_APPEARED,
    ]
    texts = texts_for(lang)
    text = render_change(
        texts, check.changes, queue="3.1", region="Київ", zone=KYIV, name=after.queues["3.1"].name
    )
    assert_valid_html(text)
    assert shifted in text
    assert tomorrow in text
    for told_twice in (texts.coverage_added, texts.coverage_removed):
        assert told_twice.split("{")[0] not in text  # the extension is told once, as a shift
    assert "20:30–21:00" not in text
    h = "год" if lang == "uk" else "h"
    for line in ("00:00–04:00 (4 {h})", "06:00–07:30 (1 {h} 30", "10:30–18:00 (7 {h} 30"):
        assert line.format(h=h) in text
    assert text.index(shifted) < text.index(tomorrow) < text.index("00:00–04:00")


@pytest.mark.parametrize(
    ("lang", "removed"),
    [("uk", "Скасовано відключення: 12:00–14:00 (2 год)"), ("en", "cancelled: 12:00–14:00 (2 h)")],
)
def test_change_with_removed_time(lang: str, removed: str) -> None:
    old, new = day(TODAY, "08:00-10:00", "12:00-14:00"), day(TODAY, "08:00-10:00")
    change = DayChange(ChangeKind.TODAY_CHANGED, old, new, diff_spans(old.outages, new.outages))
    text = render_change(texts_for(lang), change, queue="3.1", region="Київ", zone=KYIV)
    assert removed in text
    assert texts_for(lang).coverage_added.split("{")[0] not in text


@pytest.mark.parametrize("lang", LANGS)
def test_change_to_emergency_and_to_empty(lang: str) -> None:
    texts = texts_for(lang)
    old = day(TOMORROW, "10:00-14:00")
    for new, expected in (
        (day(TOMORROW, state=DayState.EMERGENCY), texts.emergency),
        (day(TOMORROW), texts.no_outages),
    ):
        change = DayChange(
            ChangeKind.TOMORROW_CHANGED, old, new, diff_spans(old.outages, new.outages)
        )
        text = render_change(texts, change, queue="3.1", region="Київ", zone=KYIV)
        assert expected in text
        assert texts.tomorrow_changed.split("{")[0] in text


TIMER_DAYS = (day(TODAY, "08:00-10:00", "14:00-18:00", "21:00-23:00"), day(TOMORROW, "06:00-08:00"))


@pytest.mark.parametrize(
    ("lang", "clock", "expected", "absent"),
    [
        (
            "uk",
            "06:40",
            [
                "світло є",
                "через <b>1 год 20 хв</b>: 08:00–10:00 (2 год)",
                "Інші відключення сьогодні:",
                "• 14:00–18:00 (4 год)",
                "• 21:00–23:00 (2 год)",
            ],
            ["світла немає"],
        ),
        (
            "uk",
            "15:00",
            [
                "світла немає (14:00–18:00)",
                "через <b>3 год</b>, о 18:00",
                "через <b>6 год</b>: 21:00–23:00 (2 год)",
            ],
            ["Інші"],
        ),
        ("uk", "23:30", ["світло є", "через <b>6 год 30 хв</b>: завтра 06:00–08:00"], ["Інші"]),
        (
            "en",
            "06:40",
            [
                "power on",
                "in <b>1 h 20 min</b>: 08:00–10:00 (2 h)",
                "Other outages today:",
                "• 14:00–18:00 (4 h)",
            ],
            ["power off"],
        ),
        ("en", "09:59", ["power off (08:00–10:00)", "in <b>1 min</b>, at 10:00"], []),
    ],
)
def test_timer(lang: str, clock: str, expected: list[str], absent: list[str]) -> None:
    now = at(TODAY, clock)
    text = render_timer(texts_for(lang), build_timeline(TIMER_DAYS, KYIV, now), zone=KYIV, now=now)
    assert_valid_html(text)
    for part in expected:
        assert part in text
    for part in absent:
        assert part not in text


@pytest.mark.parametrize("lang", LANGS)
def test_timer_states_without_a_next_outage(lang: str) -> None:
    texts = texts_for(lang)
    tomorrow_evening = at(TOMORROW, "20:00")
    ahead = render_timer(
        texts, build_timeline(TIMER_DAYS, KYIV, tomorrow_evening), zone=KYIV, now=tomorrow_evening
    )
    assert texts.nothing_ahead.format(date="21 " + texts.months[10]) in ahead
    unknown = render_timer(texts, build_timeline([], KYIV, NOON), zone=KYIV, now=NOON)
    assert unknown == texts.timer_unknown
    emergency = build_timeline([day(TODAY, state=DayState.EMERGENCY)], KYIV, NOON)
    assert render_timer(texts, emergency, zone=KYIV, now=NOON) == texts.timer_emergency


def test_timer_across_midnight_restores_tomorrow() -> None:
    days = (day(TODAY, "22:00-24:00"), day(TOMORROW, "00:00-02:00"))
    now = at(TODAY, "23:00")
    text = render_timer(uk.TEXTS, build_timeline(days, KYIV, now), zone=KYIV, now=now)
    assert "світла немає (22:00–02:00)" in text
    assert "через <b>3 год</b>, о 02:00" in text


def test_the_timer_names_the_address_by_the_users_label_escaped() -> None:
    now = at(TODAY, "09:00")
    timeline = build_timeline(TIMER_DAYS, KYIV, now)
    text = render_timer(
        uk.TEXTS, timeline, zone=KYIV, now=now, queue="3.1", region="Київ", label="Дім <мами>"
    )
    assert_valid_html(text)
    assert text.startswith("⏱ <b>Київ · Черга 3.1</b>\n🏠 Дім &lt;мами&gt;\n\n")
    plain = render_timer(uk.TEXTS, timeline, zone=KYIV, now=now, queue="3.1", region="Київ")
    assert "🏠" not in plain
