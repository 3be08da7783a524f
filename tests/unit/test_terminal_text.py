"""Telegram HTML turned into terminal text."""

from __future__ import annotations

import io

import pytest

from esvitlo.cli.terminal import terminal_text, wants_color


@pytest.mark.parametrize(
    ("html", "color", "text"),
    [
        ("<b>Київ</b> · 3.1", False, "Київ · 3.1"),
        ("<i>оновлено</i>", False, "оновлено"),
        ("<b>Київ</b>", True, "\x1b[1mКиїв\x1b[22m"),
        ("<i>x</i>", True, "\x1b[3mx\x1b[23m"),
        ('<a href="https://t.me/x">link</a>', True, "link"),
        ("Дім &lt;b&gt; &amp; сад", False, "Дім <b> & сад"),  # a user's text stays text
        ("Дім &lt;b&gt;", True, "Дім <b>"),
        ("no tags", True, "no tags"),
    ],
)
def test_terminal_text(html: str, color: bool, text: str) -> None:
    assert terminal_text(html, color=color) == text


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_that_wants_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_color(_Tty()) and not wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(_Tty())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_color(_Tty())
