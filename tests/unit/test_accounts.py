"""Notification settings rules and conversation keys (domain.accounts)."""

from __future__ import annotations

from datetime import time

import pytest

from esvitlo.domain.accounts import (
    LEAD_TIMES,
    NotificationSettings,
    conversation_key,
    conversation_user_id,
)


def test_defaults():
    settings = NotificationSettings(1)
    assert (settings.schedule_changes, settings.tomorrow, settings.reminders) == (True,) * 3
    assert (settings.remind_before_off, settings.remind_before_on) == ((15,), ())
    assert settings.in_quiet_hours(time(3, 0)) is False
    assert LEAD_TIMES == (0, 5, 10, 15, 30, 60)  # 0: at the moment itself


@pytest.mark.parametrize(
    "kwargs",
    [
        {"remind_before_off": (20,)},
        {"remind_before_on": (5, 120)},
        {"remind_before_off": (15, 15)},
        {"quiet_start": time(23, 0)},
        {"quiet_end": time(7, 0)},
        {"quiet_start": time(7, 0), "quiet_end": time(7, 0)},
    ],
)
def test_invalid_settings_are_rejected(kwargs: dict[str, object]):
    with pytest.raises(ValueError):
        NotificationSettings(1, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "moment", "quiet"),
    [
        (time(23, 0), time(7, 0), time(23, 0), True),
        (time(23, 0), time(7, 0), time(2, 30), True),
        (time(23, 0), time(7, 0), time(6, 59), True),
        (time(23, 0), time(7, 0), time(7, 0), False),
        (time(23, 0), time(7, 0), time(12, 0), False),
        (time(23, 0), time(7, 0), time(22, 59), False),
        (time(13, 0), time(15, 0), time(13, 0), True),
        (time(13, 0), time(15, 0), time(14, 59, 59), True),
        (time(13, 0), time(15, 0), time(15, 0), False),
        (time(13, 0), time(15, 0), time(0, 0), False),
        (time(0, 0), time(6, 0), time(0, 0), True),
    ],
)
def test_quiet_hours(start: time, end: time, moment: time, quiet: bool):
    settings = NotificationSettings(1, quiet_start=start, quiet_end=end)
    assert settings.in_quiet_hours(moment) is quiet


@pytest.mark.parametrize(
    ("key", "user"),
    [
        (conversation_key(8_000_000_000, -100_5, 42), 42),
        (conversation_key(1, 2, 3, thread_id=7, business_connection_id="b", destiny="x"), 3),
        ("free-form", None),
        ("a:b:c", None),
    ],
)
def test_conversation_key_names_its_user(key: str, user: int | None):
    assert conversation_user_id(key) == user


def test_conversation_keys_differ_by_every_part():
    keys = {
        conversation_key(1, 2, 3),
        conversation_key(1, 2, 4),
        conversation_key(1, 5, 3),
        conversation_key(9, 2, 3),
        conversation_key(1, 2, 3, thread_id=1),
        conversation_key(1, 2, 3, business_connection_id="b"),
        conversation_key(1, 2, 3, destiny="other"),
    }
    assert len(keys) == 7
