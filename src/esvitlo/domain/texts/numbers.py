"""Numbers in words: the plural form a count takes (CLDR's rules for Ukrainian and English)
and decimals with the language's separator (``89,2`` in Ukrainian, ``89.2`` in English)."""

from __future__ import annotations

from enum import StrEnum


class Plural(StrEnum):
    """CLDR plural categories used for whole numbers."""

    ONE = "one"
    FEW = "few"
    MANY = "many"


Forms = tuple[str, str, str]
"""A noun in the ONE, FEW and MANY forms: ("повідомлення", "повідомлення", "повідомлень")."""


def plural_of(n: int, lang: str) -> Plural:
    """The plural category of a whole number: Ukrainian 1, 21 → ONE; 2–4, 22–24 → FEW;
    0, 5–20, 25… → MANY. English: 1 → ONE, everything else → MANY."""
    n = abs(n)
    if lang != "uk":
        return Plural.ONE if n == 1 else Plural.MANY
    if n % 10 == 1 and n % 100 != 11:
        return Plural.ONE
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return Plural.FEW
    return Plural.MANY


def counted(n: int, forms: Forms, lang: str) -> str:
    """``1 повідомлення``, ``3 повідомлення``, ``5 повідомлень`` / ``1 message``, ``2 messages``."""
    one, few, many = forms
    word = {Plural.ONE: one, Plural.FEW: few, Plural.MANY: many}[plural_of(n, lang)]
    return f"{n} {word}"


def decimal(value: float, lang: str, digits: int = 1) -> str:
    """``89,2`` / ``89.2``: rounded to ``digits``, trailing zeros dropped (``90``, not ``90,0``)."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "uk" else text
