"""``esvitlo schedule --json`` agrees cell for cell with the raw data of every real file.

For every fixture file and every queue in it, the JSON the CLI prints
(:func:`export.queue_document`) is turned back into masks per date (half-hours for the
DTEK format, minutes for YASNO) and compared with masks read straight from the raw JSON,
without the parser.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from esvitlo.cli import main
from esvitlo.domain.documents import parse_document
from esvitlo.domain.export import queue_document
from esvitlo.domain.model import DataStatus, RegionSnapshot, normalize_queue

from fixture_files import all_fixture_files, fixtures_dir

KYIV = ZoneInfo("Europe/Kyiv")
parse = datetime.fromisoformat
WINTER = timezone(timedelta(hours=2))  # every fixture date is in EET (+02:00)
OUTAGE = {"no": (True, True), "first": (True, False), "second": (False, True)}
POSSIBLE = {"maybe": (True, True), "mfirst": (True, False), "msecond": (False, True)}

Masks = dict[str, dict[str, list[bool]]]  # date -> {"outages": cells, "possible": cells}


@cache
def _raw(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _snapshot(path: Path) -> RegionSnapshot:
    return parse_document(_raw(path), region=path.parent.name)


def _is_yasno(path: Path) -> bool:
    return path.parent.name == "yasno"


def _raw_groups(path: Path) -> list[str]:
    """Every group key as the raw file spells it (fact.data and preset.data)."""
    doc = _raw(path)
    if _is_yasno(path):
        return list(doc)
    groups: dict[str, None] = {}
    if isinstance(doc["fact"]["data"], dict):
        for day in doc["fact"]["data"].values():
            groups.update(dict.fromkeys(day))
    groups.update(dict.fromkeys(doc.get("preset", {}).get("data", {})))
    return list(groups)


def _cases() -> list[Any]:
    cases = []
    for path in all_fixture_files():
        name = path.relative_to(fixtures_dir()).as_posix()
        for group in _raw_groups(path):
            cases.append(pytest.param(path, group, id=f"{name}::{group}"))
    return cases


CASES = _cases()


def _kyiv_date(stamp: str) -> date:
    return datetime.fromtimestamp(int(stamp), KYIV).date()


def _set(cells: list[bool], first: int, halves: tuple[bool, bool]) -> None:
    cells[first] = cells[first] or halves[0]
    cells[first + 1] = cells[first + 1] or halves[1]


def _dtek_raw_masks(doc: Any, group: str) -> Masks:
    """Half-hour cells straight from fact.data and preset.data, by Kyiv date."""
    masks: Masks = {}
    days = doc["fact"]["data"] or {}
    weekly = doc.get("preset", {}).get("data", {}).get(group, {})
    for stamp, groups in days.items():
        if group not in groups:
            continue
        day = _kyiv_date(stamp)
        outages, possible = [False] * 48, [False] * 48
        for hour, code in groups[group].items():
            first = (int(hour) - 1) * 2
            if code in OUTAGE:
                _set(outages, first, OUTAGE[code])
            elif code in POSSIBLE:
                _set(possible, first, POSSIBLE[code])
            else:
                assert code == "yes", f"unexpected code {code!r} in the real data"
        for hour, code in weekly.get(str(day.isoweekday()), {}).items():
            if code in POSSIBLE:
                _set(possible, (int(hour) - 1) * 2, POSSIBLE[code])
        masks[day.isoformat()] = {"outages": outages, "possible": possible}
    return masks


def _yasno_raw_masks(doc: Any, group: str) -> Masks:
    """Minute cells from the slots; a day waiting for its schedule has only possible ones."""
    masks: Masks = {}
    for key in ("today", "tomorrow"):
        raw = doc[group].get(key)
        if raw is None:
            continue
        layer = "possible" if raw["status"] == "WaitingForSchedule" else "outages"
        cells = {"outages": [False] * 1440, "possible": [False] * 1440}
        for slot in raw["slots"]:
            if slot["type"] == "Definite":
                for minute in range(slot["start"], slot["end"]):
                    cells[layer][minute] = True
            else:
                assert slot["type"] == "NotPlanned"
        masks[raw["date"][:10]] = cells
    return masks


def _printed_masks(document: dict[str, Any], step: int) -> Masks:
    """Cells rebuilt from the ISO intervals of the printed JSON."""
    masks: Masks = {}
    for day in document["days"]:
        on = date.fromisoformat(day["date"])
        assert on.month in (11, 12, 1, 2), "fixture dates are all in winter time"
        midnight = datetime.combine(on, time(), WINTER)
        cells_per_day = 1440 // step
        masks[day["date"]] = {}
        for layer in ("outages", "possible"):
            cells = [False] * cells_per_day
            for interval in day[layer]:
                start = datetime.fromisoformat(interval["start"])
                end = datetime.fromisoformat(interval["end"])
                assert start < end, interval
                assert start.utcoffset() == end.utcoffset() == timedelta(hours=2), interval
                first, last = ((t - midnight) / timedelta(minutes=1) for t in (start, end))
                assert 0 <= first < last <= 1440, interval
                assert first % step == 0 and last % step == 0, interval
                for cell in range(int(first) // step, int(last) // step):
                    assert not cells[cell], f"overlapping intervals in {layer}: {interval}"
                    cells[cell] = True
            masks[day["date"]][layer] = cells
    return masks


def _intervals_are_maximal(document: dict[str, Any]) -> None:
    for day in document["days"]:
        for layer in ("outages", "possible"):
            bounds = [(parse(i["start"]), parse(i["end"])) for i in day[layer]]
            for before, after in pairwise(bounds):
                assert before[1] < after[0], f"{layer} not sorted or not merged"


@pytest.mark.parametrize(("path", "group"), CASES)
def test_cli_json_agrees_with_raw_cells(
    path: Path, group: str, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = normalize_queue(group)
    region = ["--region", "kyiv"] if _is_yasno(path) else []
    assert main(["schedule", "--file", str(path), group, "--json", *region]) == 0
    document = json.loads(capsys.readouterr().out)  # exactly what is printed
    assert document["queue"] == queue
    yasno = _is_yasno(path)
    raw = _yasno_raw_masks(_raw(path), group) if yasno else _dtek_raw_masks(_raw(path), group)
    assert [d["date"] for d in document["days"]] == sorted(raw), "days listed by Kyiv date"
    assert _printed_masks(document, 1 if yasno else 30) == raw
    _intervals_are_maximal(document)


@pytest.mark.parametrize(("path", "group"), [c for c in CASES if "yasno" not in str(c.id)])
def test_json_published_flag_agrees_with_raw_placeholder(path: Path, group: str) -> None:
    """A later day with every cell of every group ``yes`` is not published yet."""
    doc = _raw(path)
    days = doc["fact"]["data"] or {}
    today = _kyiv_date(str(doc["fact"]["today"]))
    expected = {}
    for stamp, groups in days.items():
        placeholder = all(code == "yes" for hours in groups.values() for code in hours.values())
        if group in groups:
            expected[_kyiv_date(stamp).isoformat()] = not (
                placeholder and _kyiv_date(stamp) > today
            )
    snapshot = _snapshot(path)
    queue = snapshot.queues[normalize_queue(group)]
    document = queue_document(snapshot.region, queue, DataStatus.FRESH, KYIV)
    assert {d["date"]: d["published"] for d in document["days"]} == expected


def test_every_fixture_file_is_covered() -> None:
    files = {c.values[0] for c in CASES}
    assert files == set(all_fixture_files())
    assert len(files) == 31
    assert len(CASES) == 18 * 12 + 10 * 12 + 24 + 12 + 1
