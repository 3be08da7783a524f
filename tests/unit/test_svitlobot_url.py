"""The heartbeat set-up shows the Svitlobot-compatible address and key next to /hb/<secret>."""

from __future__ import annotations

from datetime import timedelta

import pytest

from esvitlo.domain.heartbeat_setup import svitlobot_url
from esvitlo.domain.power_screens import heartbeat_text
from esvitlo.domain.texts import power_texts_for


def test_the_svitlobot_form_carries_the_same_secret_as_its_key():
    assert svitlobot_url("https://svitlo.example.org/hb/abc_D-1") == (
        "https://svitlo.example.org/channelPing?channel_key=abc_D-1",
        "abc_D-1",
    )
    assert svitlobot_url("https://svitlo.example.org/other") is None


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_the_bot_shows_the_key_and_the_url_when_a_heartbeat_is_set_up(lang: str):
    text = heartbeat_text(
        "Дім", "https://svitlo.example.org/hb/abc", timedelta(minutes=1), power_texts_for(lang)
    )
    assert "<code>https://svitlo.example.org/channelPing?channel_key=abc</code>" in text
    assert "channel_key): <code>abc</code>" in text
