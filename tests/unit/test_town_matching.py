"""Matching a typed town against a DTEK site's towns: kinds ("м.", "с.", "смт"), case,
Latin look-alikes and typos, as streets are matched."""

from __future__ import annotations

from esvitlo.domain.address_lookup import exact, rank_towns, town_key

TOWNS = ["м. Бровари", "с. Бровари", "смт Бородянка", "м. Бориспіль", "с. Гора", "м. Біла Церква"]


def _names(query: str) -> list[str]:
    return [TOWNS[m.index] for m in rank_towns(query, TOWNS)]


def test_town_key_drops_the_kind_case_and_lookalikes() -> None:
    assert town_key("смт Бородянка") == town_key("бородянка") == "бородянка"
    assert town_key("м. Біла Церква") == town_key("Бiла церква")  # a Latin "i"
    assert town_key("селище міського типу Гора") == "гора"
    assert town_key("м.") == "м"  # only a kind: kept, so it is never empty


def test_a_town_with_a_typo_finds_it() -> None:
    assert _names("Бородянкa")[0] == "смт Бородянка"  # a Latin "a"
    assert _names("бородянко")[0] == "смт Бородянка"
    assert _names("Борисполь")[0] == "м. Бориспіль"


def test_two_towns_of_one_name_are_both_offered_and_neither_is_exact() -> None:
    matches = rank_towns("Бровари", TOWNS)
    assert [TOWNS[m.index] for m in matches][:2] == ["м. Бровари", "с. Бровари"]
    assert exact(matches) is None
    assert exact(rank_towns("Гора", TOWNS)) == TOWNS.index("с. Гора")


def test_nothing_close_is_nothing() -> None:
    assert _names("Харків") == []
