"""``esvitlo regions``: every region with its sources, or "no public schedule"; URLs shown
without credentials or query; ``schedule`` refuses a region that has no schedule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esvitlo.cli import main

WITHOUT_SCHEDULE = {"volyn", "donetsk", "kirovohrad", "luhansk", "sumy", "kherson", "chernivtsi"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _shipped_catalogue(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ESVITLO_REGIONS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_regions_lists_all_25_with_their_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "regions")
    lines = out.splitlines()
    assert code == 0
    heads = [line.split()[0] for line in lines if line and not line.startswith(" ")]
    assert len(heads[:-1]) == 25 and heads[-1] == "25"
    sumy = lines.index(next(line for line in lines if line.startswith("sumy ")))
    assert "Sumy region / Сумська область" in lines[sumy]
    assert lines[sumy + 1].strip() == "no public schedule"
    kyiv = lines.index(next(line for line in lines if line.startswith("kyiv ")))
    assert lines[kyiv + 1].split()[:2] == ["1.", "dtek"]
    assert lines[kyiv + 2].split()[:2] == ["2.", "yasno"]
    bare = sum(1 for line in lines if line.strip() == "no public schedule")
    assert lines[-1] == f"25 regions: {25 - bare} with schedules, {bare} with no public schedule"
    assert bare >= len(WITHOUT_SCHEDULE)


def test_regions_json_says_which_have_a_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "regions", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert code == 0 and len(rows) == 25
    for region in WITHOUT_SCHEDULE:
        assert rows[region]["schedule"] is False and rows[region]["sources"] == []
    assert rows["kyiv"]["schedule"] is True
    assert [s["kind"] for s in rows["kyiv"]["sources"]] == ["dtek", "yasno"]
    assert "Zhytomyr" in rows["zhytomyr"]["aliases"]


def test_regions_never_print_credentials_or_queries(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    custom = tmp_path / "regions.toml"
    custom.write_text(
        '[[regions]]\nid = "mirror"\nname_uk = "Дзеркало"\nname_en = "Mirror"\n'
        '[[regions.sources]]\nkind = "dtek"\n'
        'url = "http://user:secret@127.0.0.1:8080/kyiv.json?token=abc"\n'
        '[[regions]]\nid = "bare"\nname_uk = "Без графіка"\nname_en = "Bare"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(custom))
    _, text, _ = _run(capsys, "regions")
    _, raw, _ = _run(capsys, "regions", "--json")
    for out in (text, raw):
        assert "http://127.0.0.1:8080/kyiv.json" in out
        assert "secret" not in out and "token" not in out
    assert text.splitlines()[-1] == "2 regions: 1 with schedules, 1 with no public schedule"
    assert json.loads(raw)[1] == {
        "id": "bare",
        "name_uk": "Без графіка",
        "name_en": "Bare",
        "tz": "Europe/Kyiv",
        "schedule": False,
        "sources": [],
        "aliases": [],
    }


def test_schedule_of_a_region_without_one_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _run(capsys, "schedule", "sumy", "1")
    assert code == 2 and out == ""
    assert err == "esvitlo: error: region 'sumy' has no public schedule (see esvitlo regions)\n"
