"""Plural forms and decimals of Ukrainian and English."""

from __future__ import annotations

import pytest

from esvitlo.domain.texts.numbers import Plural, counted, decimal, plural_of

MESSAGES_UK = ("повідомлення", "повідомлення", "повідомлень")
MESSAGES_EN = ("message", "messages", "messages")


@pytest.mark.parametrize(
    ("n", "category"),
    [
        (0, Plural.MANY), (1, Plural.ONE), (2, Plural.FEW), (4, Plural.FEW), (5, Plural.MANY),
        (11, Plural.MANY), (12, Plural.MANY), (14, Plural.MANY), (21, Plural.ONE),
        (22, Plural.FEW), (25, Plural.MANY), (101, Plural.ONE), (111, Plural.MANY),
        (112, Plural.MANY), (1_000_002, Plural.FEW),
    ],
)  # fmt: skip
def test_ukrainian_plural_categories(n, category):
    assert plural_of(n, "uk") is category


@pytest.mark.parametrize(
    ("n", "uk", "en"),
    [
        (1, "1 повідомлення", "1 message"),
        (3, "3 повідомлення", "3 messages"),
        (5, "5 повідомлень", "5 messages"),
        (11, "11 повідомлень", "11 messages"),
        (21, "21 повідомлення", "21 messages"),
        (0, "0 повідомлень", "0 messages"),
    ],
)
def test_counted_words(n, uk, en):
    assert counted(n, MESSAGES_UK, "uk") == uk
    assert counted(n, MESSAGES_EN, "en") == en


@pytest.mark.parametrize(
    ("value", "uk", "en"),
    [(89.24, "89,2", "89.2"), (90.0, "90", "90"), (99.96, "100", "100"), (0.5, "0,5", "0.5")],
)
def test_decimals_use_the_languages_separator(value, uk, en):
    assert (decimal(value, "uk"), decimal(value, "en")) == (uk, en)
