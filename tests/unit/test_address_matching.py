"""Street and house matching: normalisation, close matches, house numbers."""

from __future__ import annotations

import pytest

from esvitlo.domain.address_lookup import (
    default_label,
    exact,
    house_key,
    rank_houses,
    rank_streets,
    search_hint,
    street_key,
)

STREETS = [
    "вул. Хрещатик",
    "вул. Хрещатицька",
    "вул. Хорива",
    "просп. Степана Бандери",
    "вул. Обʼєднання",
    "пров. Лабораторний",
]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("вул. Хрещатик", "хрещатик"),
        ("Хрещатик вулиця", "хрещатик"),
        ("ВУЛИЦЯ  ХРЕЩАТИК", "хрещатик"),
        ("Xpeщaтик", "хрещатик"),  # Latin X, p, a typed on a Latin keyboard
        ("просп. Степана Бандери", "степана бандери"),
        ("проспект Степана Бандери", "степана бандери"),
        ("пров. Лабораторний", "лабораторний"),
        ("Об'єднання", "об'єднання"),
        ("Об’єднання", "об'єднання"),
        ("Об`єднання", "об'єднання"),
        ("Обʼєднання", "об'єднання"),
        ("вул.", "вул"),  # nothing but the kind: keep it rather than match everything
    ],
)
def test_street_key(typed: str, key: str) -> None:
    assert street_key(typed) == key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("12а", "12а"),
        ("12-А", "12а"),
        ("12 а", "12а"),
        ("12A", "12а"),  # Latin A
        ("буд. 12а", "12а"),
        ("12/1", "12/1"),
        (" 7 ", "7"),
    ],
)
def test_house_key(typed: str, key: str) -> None:
    assert house_key(typed) == key


@pytest.mark.parametrize(
    ("typed", "first", "is_exact"),
    [
        ("Хрещатик", "вул. Хрещатик", True),
        ("хрещатік", "вул. Хрещатик", False),  # a typo: close, not exact
        ("Хрящатик", "вул. Хрещатик", False),
        ("Бандери", "просп. Степана Бандери", False),
        ("об'єднання", "вул. Обʼєднання", True),
        ("лабораторний провулок", "пров. Лабораторний", True),
    ],
)
def test_rank_streets_finds_close_matches(typed: str, first: str, is_exact: bool) -> None:
    matches = rank_streets(typed, STREETS)
    assert STREETS[matches[0].index] == first
    assert (exact(matches) is not None) is is_exact


def test_rank_streets_leaves_out_what_is_far_and_caps_the_choices() -> None:
    assert rank_streets("Шевченка", STREETS) == []
    many = [f"вул. Садова {i}" for i in range(20)]
    assert len(rank_streets("Садова", many)) == 8


def test_rank_houses_same_number_first() -> None:
    numbers = ["1", "12/1", "12а", "120", "12", "3"]
    found = [numbers[m.index] for m in rank_houses("12", numbers)]
    assert found == ["12", "12/1", "12а", "120"]
    assert next(numbers[m.index] for m in rank_houses("12-А", numbers)) == "12а"


def test_search_hint_is_a_short_prefix_of_the_longest_word() -> None:
    assert search_hint("вул. Хрещатік") == "хрещ"
    assert search_hint("просп. Степана Бандери") == "степ"
    assert search_hint("Іва") == "іва"


def test_default_label() -> None:
    assert default_label(" вул. Хрещатик ", "12а") == "вул. Хрещатик, 12а"
    long = default_label("вулиця Академіка Заболотного Данила Кириловича", "148/2")
    assert long == "вулиця Академіка Заболот…, 148/2" and len(long) == 32
