"""Messages between users and admins: escaping, keys per recipient, pause templates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from esvitlo.domain.admin_messages import (
    TYPED_LIMIT,
    error_report_messages,
    feedback_messages,
    pause_flag,
    pause_notice,
    reply_message,
    typed,
)
from esvitlo.domain.texts import bot_texts_for

AT = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
UK, EN = bot_texts_for("uk"), bot_texts_for("en")


@pytest.mark.parametrize(
    ("args", "uk", "en"),
    [
        (None, UK.paused_default, EN.paused_default),
        ("", UK.paused_default, EN.paused_default),
        ("update", UK.paused_update, EN.paused_update),
        (" UPDATE ", UK.paused_update, EN.paused_update),
        ("maintenance", UK.paused_default, EN.paused_default),
        ("Оновлюємо <базу>", "Оновлюємо &lt;базу&gt;", "Оновлюємо &lt;базу&gt;"),
    ],
)
def test_pause_templates_speak_each_users_language_and_own_text_stays(args, uk, en):
    flag = pause_flag(args)
    assert (pause_notice(flag, UK), pause_notice(flag, EN)) == (uk, en)


def test_typed_text_is_escaped_and_cut():
    assert typed("  <b>x</b> & y ") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    long = typed("я" * (TYPED_LIMIT + 50))
    assert len(long) == TYPED_LIMIT and long.endswith("…")


def test_feedback_goes_to_every_admin_in_their_language_with_its_own_key():
    messages = feedback_messages({2: EN, 1: UK}, 555, "Олена <3", "не <працює>", AT)
    assert [(m.chat_id, m.kind, m.priority) for m in messages] == [
        (1, "feedback", 6),
        (2, "feedback", 6),
    ]
    assert len({m.key for m in messages}) == 2 and len({m.topic for m in messages}) == 1
    assert "Відгук" in messages[0].text and "Feedback" in messages[1].text
    assert "Олена &lt;3" in messages[0].text and "не &lt;працює&gt;" in messages[0].text
    assert "/reply 555" in messages[1].text


def test_a_reply_and_error_reports_are_escaped_and_keyed_by_time():
    reply = reply_message(EN, 1, 555, "fixed <now>", AT)
    assert (reply.chat_id, reply.kind) == (555, "feedback_reply")
    assert "fixed &lt;now&gt;" in reply.text
    later = reply_message(EN, 1, 555, "fixed <now>", AT.replace(minute=1))
    assert later.key != reply.key
    reports = error_report_messages({1: UK}, "message", "KeyError: 'x<'", "42", AT)
    assert [r.chat_id for r in reports] == [1]
    assert "KeyError: &#x27;x&lt;&#x27;" in reports[0].text and "42" in reports[0].text
