"""Command line: JSON shape, and one clear error line with exit code 2 for bad input."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from esvitlo.cli import main

from fixture_files import fixtures_dir

KYIV = "outage-data-ua/kyiv/2025-11-20T1936_a1227.json"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main(list(argv)))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_schedule_json_has_exactly_the_documented_shape(capsys):
    path = str(fixtures_dir() / KYIV)
    code, out, _ = _run(
        capsys, "schedule", "--file", path, "GPV3.1", "--json", "--now", "2025-11-20T20:00+02:00"
    )
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == {"region", "queue", "status", "days"}
    assert (doc["region"], doc["queue"], doc["status"]) == ("kyiv", "3.1", "fresh")
    assert [d["date"] for d in doc["days"]] == ["2025-11-20", "2025-11-21"]
    assert all(set(d) == {"date", "published", "outages", "possible"} for d in doc["days"])
    assert doc["days"][0]["outages"] == [
        {"start": "2025-11-20T03:00:00+02:00", "end": "2025-11-20T10:30:00+02:00"},
        {"start": "2025-11-20T13:30:00+02:00", "end": "2025-11-20T21:00:00+02:00"},
    ]
    assert doc["days"][1]["outages"][-1]["end"] == "2025-11-22T00:00:00+02:00"


@pytest.mark.parametrize(
    ("now", "status"),
    [("2025-11-20T20:00+02:00", "fresh"), ("2025-11-23T20:00+02:00", "stale")],
)
def test_schedule_json_status_follows_now(capsys, now, status):
    path = str(fixtures_dir() / KYIV)
    _, out, _ = _run(capsys, "schedule", "--file", path, "3.1", "--json", "--now", now)
    assert json.loads(out)["status"] == status


def test_error_file_reports_source_error(capsys):
    path = str(fixtures_dir() / "outage-data-ua/kyiv/2025-11-09T1407_a286_error.json")
    _, out, _ = _run(capsys, "schedule", "--file", path, "3.1", "--json")
    assert json.loads(out)["status"] == "source_error"


def test_tomorrow_placeholder_is_not_published(capsys):
    path = str(fixtures_dir() / "outage-data-ua/kyiv/2025-11-15T1350_a791.json")
    _, out, _ = _run(capsys, "schedule", "--file", path, "3.1", "--json")
    days = json.loads(out)["days"]
    assert [(d["date"], d["published"], d["outages"]) for d in days][1] == ("2025-11-16", False, [])


def test_region_is_taken_from_the_file_or_the_flag(capsys):
    path = str(fixtures_dir() / "oe-outage-data/Zhytomyroblenergo_2026-02-27T0435.json")
    _, out, _ = _run(capsys, "schedule", "--file", path, "1.1", "--json")
    assert json.loads(out)["region"] == "zhytomyr"
    yasno = next((fixtures_dir() / "yasno").glob("*.json"))
    _, out, _ = _run(capsys, "schedule", "--file", str(yasno), "6.2", "--region", "kyiv", "--json")
    assert json.loads(out)["region"] == "kyiv"


def _bad_inputs(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "not.json").write_text("<html>nope</html>")
    (tmp / "shape.json").write_text('{"fact": {"data": "x"}}')
    (tmp / "list.json").write_text("[1, 2]")
    kyiv = str(fixtures_dir() / KYIV)
    return [
        (["schedule", "--file", str(tmp / "missing.json"), "3.1"], "no such file"),
        (["schedule", "--file", str(tmp / "not.json"), "3.1"], "not JSON"),
        (["schedule", "--file", str(tmp / "shape.json"), "3.1"], "fact.data"),
        (["schedule", "--file", str(tmp / "list.json"), "3.1"], "not a known schedule format"),
        (["schedule", "--file", kyiv, "99.9"], "unknown queue '99.9'"),
        (["schedule", "--file", kyiv, "3.1", "--region", "atlantis"], "unknown region 'atlantis'"),
        (["schedule", "--file", kyiv, "3.1", "--now", "yesterday"], "not an ISO 8601 time"),
        (["schedule", "--file", kyiv, "3.1", "--now", "2025-11-20T20:00"], "needs a UTC offset"),
        (["schedule", "atlantis", "3.1"], "unknown region 'atlantis'"),
        (["schedule", "kyiv"], "give REGION and QUEUE"),
        (["replay", str(tmp / "nowhere"), "3.1"], "not a directory"),
        (["replay", str(fixtures_dir() / "outage-data-ua/kyiv"), "77.7"], "unknown queue"),
        (["frobnicate"], "invalid choice"),
    ]


def test_every_bad_input_gives_one_error_line_and_exit_2(capsys, tmp_path):
    for argv, needle in _bad_inputs(tmp_path):
        code, out, err = _run(capsys, *argv)
        assert code == 2, argv
        assert out == "", argv
        assert len(err.strip().splitlines()) == 1, (argv, err)
        assert needle in err and "Traceback" not in err, (argv, err)


def test_regions_lists_every_catalogue_region(capsys):
    code, out, _ = _run(capsys, "regions", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) >= 17
    kyiv = next(r for r in rows if r["id"] == "kyiv")
    assert [s["kind"] for s in kyiv["sources"]] == ["dtek", "yasno"]


def test_regions_file_setting_overrides_the_catalogue(capsys, tmp_path, monkeypatch):
    custom = tmp_path / "regions.toml"
    custom.write_text(
        '[[regions]]\nid = "mirror"\nname_uk = "Дзеркало"\nname_en = "Mirror"\n'
        '[[regions.sources]]\nkind = "dtek"\nurl = "http://127.0.0.1:1/kyiv.json"\n'
    )
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(custom))
    _, out, _ = _run(capsys, "regions")
    assert out.splitlines()[0].startswith("mirror")
    custom.write_text("[[regions]]\nid = 3\n")
    code, _, err = _run(capsys, "regions")
    assert code == 2 and "'id' must be a non-empty string" in err


def test_bench_parse_reports_its_figures(capsys):
    code, out, _ = _run(capsys, "bench", "parse", "--rounds", "3", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["groups"] == 120 and 340_000 <= result["file_bytes"] <= 380_000
    assert result["rounds"] == 3 and result["median_ms"] > 0
    parts = result["decode_median_ms"] + result["parse_median_ms"] + result["diff_median_ms"]
    assert parts <= result["median_ms"] * 1.5


def test_schedule_text_is_plain_on_a_terminal_not_telegram_html(capsys):
    path = str(fixtures_dir() / KYIV)
    code, out, _ = _run(
        capsys, "schedule", "--file", path, "3.1", "--now", "2025-11-20T20:00+02:00"
    )
    assert code == 0
    assert out.startswith("🗓 Київ · Черга 3.1 — графік відключень\n")
    assert "Загалом без світла: 15 год\n" in out
    assert "<" not in out and "&" not in out


def test_a_yasno_file_without_region_names_the_regions_to_pass(capsys):
    yasno = str(next((fixtures_dir() / "yasno").glob("*.json")))
    code, out, err = _run(capsys, "schedule", "--file", yasno, "6.2")
    assert (code, out) == (2, "")
    assert "does not say which region it is; pass --region (one of: kyiv, dnipro)" in err


def test_a_yasno_file_is_read_as_the_only_region_with_a_yasno_source(capsys, tmp_path, monkeypatch):
    custom = tmp_path / "regions.toml"
    custom.write_text(
        '[[regions]]\nid = "capital"\nname_uk = "Столиця"\nname_en = "Capital"\n'
        '[[regions.sources]]\nkind = "yasno"\nurl = "http://127.0.0.1:1/y.json"\n'
        '[[regions]]\nid = "east"\nname_uk = "Схід"\nname_en = "East"\n'
        '[[regions.sources]]\nkind = "dtek"\nurl = "http://127.0.0.1:1/d.json"\n'
    )
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(custom))
    yasno = str(next((fixtures_dir() / "yasno").glob("*.json")))
    code, out, _ = _run(capsys, "schedule", "--file", yasno, "6.2", "--json")
    assert code == 0 and json.loads(out)["region"] == "capital"


@pytest.fixture
def logging_restored():
    """The root logger as it was: a live fetch configures logging for the whole process."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


def test_sources_that_are_down_give_one_short_line_each(
    capsys, tmp_path, monkeypatch, logging_restored
):
    custom = tmp_path / "regions.toml"
    custom.write_text(
        '[[regions]]\nid = "mirror"\nname_uk = "Дзеркало"\nname_en = "Mirror"\n'
        '[[regions.sources]]\nkind = "dtek"\nurl = "http://schedule.invalid/kyiv.json"\n'
        '[[regions.sources]]\nkind = "yasno"\nurl = "http://127.0.0.1:1/yasno.json"\n'
    )
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(custom))
    monkeypatch.setenv("ESVITLO_FETCH_ATTEMPTS", "1")
    code, out, err = _run(capsys, "schedule", "mirror", "3.1")
    assert (code, out) == (1, "")
    first, dns, refused = err.splitlines()
    assert first == "esvitlo: error: region 'mirror': no source answered and no earlier copy:"
    assert dns == (
        "  http://schedule.invalid/kyiv.json: could not resolve the name (gave up after 1 attempt)"
    )
    assert refused.startswith("  http://127.0.0.1:1/yasno.json: could not connect: ")
    assert refused.endswith(" (gave up after 1 attempt)") and "Error" not in err
