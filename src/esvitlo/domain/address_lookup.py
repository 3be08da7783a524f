"""Matching what people type against an operator's street and house names.

People type "вул Хрещатик", "Хрещатик вулиця", "Об'єднання" with a different apostrophe or
with Latin letters that look Cyrillic (a Latin keyboard's "o", "c", "p"); operators name the
same street "вул. Хрещатик". Both sides are reduced to a key (``street_key``) and compared:
equal keys first, then keys that contain the query, then close spellings (difflib).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from esvitlo.domain.accounts import MAX_LABEL

MAX_CHOICES = 8
"""Buttons offered for a street or a house: more do not fit a phone's screen."""

_APOSTROPHES = str.maketrans(dict.fromkeys("ʼ’‘`´ʹ′", "'"))
_LOOKALIKES = str.maketrans(
    {"a": "а", "e": "е", "i": "і", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
     "m": "м", "t": "т", "h": "н", "b": "в"}
)  # fmt: skip
_STREET_KINDS = frozenset(
    {
        "вул", "вулиця", "ул", "улица", "пр", "пр-т", "пр-кт", "просп", "проспект", "пров",
        "провулок", "пер", "переулок", "бул", "бульв", "бульвар", "пл", "площа", "наб",
        "набережна", "узв", "узвіз", "шосе", "туп", "тупик", "проїзд", "алея", "майдан",
        "мкр", "мікрорайон", "ж/м", "житловий", "масив",
    }
)  # fmt: skip
_TOWN_KINDS = frozenset(
    {
        "м", "місто", "г", "город", "с", "село", "смт", "селище", "сел", "с-ще", "сщ",
        "х", "хутір", "міського", "типу",
    }
)  # fmt: skip
_HOUSE_PREFIX = re.compile(r"^(?:будинок|буд|д)\.?\s*")
_SEPARATORS = re.compile(r"[\s.,;:\"«»()]+")


class LookupKind(StrEnum):
    """Which address API a lookup source speaks."""

    YASNO = "yasno"
    DTEK = "dtek"
    POWERON = "poweron"  # the Ternopil operator's Hydra API
    CHERKASY = "cherkasy"  # the Cherkasy operator's cabinet API, every town


def _letters(text: str) -> str:
    """Case folded, one apostrophe, Latin look-alikes made Cyrillic, "ё" as "е"."""
    folded = text.casefold().translate(_APOSTROPHES)
    return folded.translate(_LOOKALIKES).replace("ё", "е")


def street_key(name: str) -> str:
    """A street's name without its kind ("вул.", "просп." …), case, punctuation and
    look-alike letters: ``"вул. Хрещатик"`` and ``"хрещатик вулиця"`` give ``"хрещатик"``."""
    words = [w for w in _SEPARATORS.split(_letters(name)) if w]
    kept = [w for w in words if w.strip("'") and w not in _STREET_KINDS]
    return " ".join(kept or words)


def house_key(number: str) -> str:
    """A house number as one token: ``"12-А"``, ``"12 а"``, ``"буд. 12а"`` give ``"12а"``;
    ``"12/1"`` stays ``"12/1"`` and ``"12 корп. 2"`` becomes ``"12корп2"``."""
    text = _HOUSE_PREFIX.sub("", _letters(number).strip())
    return re.sub(r"[\s.\-–—]+", "", text)


def search_hint(query: str) -> str:
    """What to send to a source's own text search for a typed street: its longest word,
    shortened so that a typo near the end still finds the street (the ranking sorts out
    the rest)."""
    words = street_key(query).split()
    longest = max(words, key=len, default="")
    return longest[:4] if len(longest) > 4 else longest


@dataclass(frozen=True, slots=True)
class Match:
    """A name's position in the list it came from and how well it matches (1.0 = same key)."""

    index: int
    score: float


def _score(wanted: str, key: str) -> float:
    if not wanted or not key:
        return 0.0
    if wanted == key:
        return 1.0
    if key.startswith(wanted) or f" {wanted}" in key:
        return 0.95 - 0.1 * (1 - len(wanted) / len(key))
    if wanted in key:
        return 0.8
    whole = difflib.SequenceMatcher(None, wanted, key).ratio()
    best_word = max(
        (difflib.SequenceMatcher(None, wanted, word).ratio() for word in key.split()),
        default=0.0,
    )
    return max(whole, best_word * 0.95)


def town_key(name: str) -> str:
    """A town's name without its kind ("м.", "с.", "смт" …), case, punctuation and
    look-alike letters: ``"смт Бородянка"`` and ``"бородянка"`` give ``"бородянка"``."""
    words = [w for w in _SEPARATORS.split(_letters(name)) if w]
    kept = [w for w in words if w.strip("'") and w not in _TOWN_KINDS]
    return " ".join(kept or words)


def _ranked(wanted: str, keys: Sequence[str], cutoff: float, limit: int) -> list[Match]:
    scored = [Match(i, _score(wanted, key)) for i, key in enumerate(keys)]
    kept = [m for m in scored if m.score >= cutoff]
    kept.sort(key=lambda m: -m.score)
    return kept[:limit]


def rank_streets(
    query: str, names: Sequence[str], *, cutoff: float = 0.6, limit: int = MAX_CHOICES
) -> list[Match]:
    """Street names matching ``query`` best first (ties keep the source's order); those
    scoring under ``cutoff`` are left out."""
    return _ranked(street_key(query), [street_key(n) for n in names], cutoff, limit)


def rank_towns(
    query: str, names: Sequence[str], *, cutoff: float = 0.6, limit: int = MAX_CHOICES
) -> list[Match]:
    """Town names matching ``query`` best first, the way streets are matched: "Бровари",
    "м Бровари" and "бровори" all find "м. Бровари"."""
    return _ranked(town_key(query), [town_key(n) for n in names], cutoff, limit)


def exact(matches: Sequence[Match]) -> int | None:
    """The index of the one name whose key equals the query's, if exactly one does."""
    same = [m.index for m in matches if m.score >= 1.0]
    return same[0] if len(same) == 1 else None


def _number(key: str) -> str:
    digits = re.match(r"\d+", key)
    return digits.group(0) if digits else key


def house_number(typed: str) -> str:
    """The leading number of a typed house (``"12/1"`` → ``"12"``), what a source's own
    house search is asked for; the whole key when it has no digits."""
    return _number(house_key(typed))


def rank_houses(query: str, numbers: Sequence[str], limit: int = MAX_CHOICES) -> list[Match]:
    """House numbers close to ``query``: the same key (score 1.0), then the same number
    with another letter or part (``12`` finds ``12а``, ``12/1``), then numbers starting
    with the typed digits (``12`` finds ``120``)."""
    wanted = house_key(query)
    lead = _number(wanted)
    found: list[Match] = []
    for i, key in enumerate(house_key(n) for n in numbers):
        if key == wanted:
            found.append(Match(i, 1.0))
        elif lead and _number(key) == lead:
            found.append(Match(i, 0.8))
        elif lead and key.startswith(lead):
            found.append(Match(i, 0.5))
    found.sort(key=lambda m: -m.score)
    return found[:limit]


def default_label(street: str, house: str, limit: int = MAX_LABEL) -> str:
    """The address label a found address gets unless renamed: "вул. Хрещатик, 12а"; a
    street too long for a label is cut (with "…") so that the house number stays."""
    street, house = " ".join(street.split()), " ".join(house.split())
    label = f"{street}, {house}"
    if len(label) <= limit:
        return label
    room = max(1, limit - len(house) - 3)
    return f"{street[:room].rstrip()}…, {house}"[:limit]


RECHECK_EVERY = timedelta(days=1)
RECHECK_SPREAD = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class FoundAddress:
    """A subscription made from a lookup, as the daily re-check needs it: whom to tell
    (``chat_id``, ``language``, ``label``), what to look up again and the queue found last."""

    subscription_id: int
    chat_id: int
    language: str
    region: str
    label: str
    street: str
    house: str
    queue: str


def next_recheck(now: datetime, subscription_id: int) -> datetime:
    """When to look an address up again: a day later, moved by up to two hours by its id,
    so that addresses saved together (or left over from an outage) drift apart."""
    spread = int(RECHECK_SPREAD.total_seconds())
    offset = (subscription_id * 2654435761) % spread
    return now + RECHECK_EVERY + timedelta(seconds=offset)
