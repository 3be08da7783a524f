"""Replay of the real Kyiv and Dnipro series: the decision at every step is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from esvitlo.domain.changes import ChangeKind, Decision
from esvitlo.domain.documents import decode_json, parse_document
from esvitlo.domain.replay import replay

from fixture_files import fixtures_dir

B, N, R, E, C = (
    Decision.BASELINE,
    Decision.NO_CHANGE,
    Decision.ROLLOVER,
    Decision.SOURCE_ERROR,
    Decision.CHANGED,
)
TODAY, TOMORROW_APPEARED = ChangeKind.TODAY_CHANGED, ChangeKind.TOMORROW_APPEARED
# a today never stored, or stored as not published, that the feed publishes (the fixtures skip
# days): announced as a schedule published, never as a change with every outage added
TODAY_APPEARED = ChangeKind.TODAY_APPEARED

# (file, decision, ((kind, date, added spans, removed spans, shifted old>new), ...))
KYIV_3_1 = [
    ("2025-11-06T1845_a045.json", B, ()),
    ("2025-11-07T0808_a090.json", R, ()),
    ("2025-11-07T1428_a114.json", N, ()),
    ("2025-11-07T1936_a134_error.json", E, ()),
    (
        "2025-11-08T1808_a215.json",
        C,
        (
            (TODAY_APPEARED, "2025-11-08", "+07:30–13:00 +17:00–20:00"),
            (TOMORROW_APPEARED, "2025-11-09", "+04:30–12:00 +15:00–22:00"),
        ),
    ),
    ("2025-11-09T0633_a256.json", R, ()),
    ("2025-11-09T0735_a261_unchanged.json", N, ()),
    ("2025-11-09T0838_a265.json", C, ((TODAY, "2025-11-09", "~15:00–22:00>15:00–19:00"),)),
    ("2025-11-09T1051_a274.json", N, ()),
    ("2025-11-09T1407_a286_error.json", E, ()),
    ("2025-11-10T1539_a377_error.json", E, ()),
    (
        "2025-11-12T2207_a570.json",
        C,
        ((TODAY_APPEARED, "2025-11-13", "+03:00–07:00 +13:30–17:30"),),
    ),
    (
        "2025-11-15T1350_a791.json",
        C,
        ((TODAY_APPEARED, "2025-11-15", "+00:00–00:30 +18:00–22:00"),),
    ),
    (
        "2025-11-15T2149_a823.json",
        C,
        ((TOMORROW_APPEARED, "2025-11-16", "+04:30–08:30 +16:00–19:30"),),
    ),
    (
        "2025-11-18T0441_a1010.json",
        C,
        ((TODAY_APPEARED, "2025-11-18", "+00:00–02:30 +09:00–13:00 +19:30–23:30"),),
    ),
    (
        "2025-11-20T1526_a1212.json",
        C,
        ((TODAY_APPEARED, "2025-11-20", "+03:00–10:30 +13:30–20:30"),),
    ),
    (
        "2025-11-20T1936_a1227.json",
        C,
        (
            (TODAY, "2025-11-20", "~13:30–20:30>13:30–21:00"),
            (
                TOMORROW_APPEARED,
                "2025-11-21",
                "+00:00–04:00 +06:00–07:30 +10:30–18:00 +21:00–24:00",
            ),
        ),
    ),
    (
        "2025-11-23T2008_a1479.json",
        C,
        (
            (TODAY_APPEARED, "2025-11-23", "+04:30–08:30 +15:00–19:00"),
            (TOMORROW_APPEARED, "2025-11-24", "+01:30–05:30 +12:00–16:00 +22:30–24:00"),
        ),
    ),
]

DNIPRO_1_2 = [
    ("2025-11-06T1845_a044.json", B, ()),
    ("2025-11-07T0808_a089.json", R, ()),
    ("2025-11-07T1428_a113.json", C, ((TODAY, "2025-11-07", "~17:00–21:00>16:30–20:00"),)),
    ("2025-11-07T1936_a133_error.json", E, ()),
    (
        "2025-11-08T1808_a214.json",
        C,
        (
            (TODAY_APPEARED, "2025-11-08", "+13:30–20:00"),
            (TOMORROW_APPEARED, "2025-11-09", "+00:00–03:30 +10:30–14:00 +21:00–24:00"),
        ),
    ),
    ("2025-11-09T0633_a255_error.json", E, ()),
    ("2025-11-09T0838_a264.json", N, ()),
    (
        "2025-11-09T1051_a273.json",
        C,
        ((TODAY, "2025-11-09", "+11:30–14:00 ~10:30–14:00>10:30–11:00"),),
    ),
    ("2025-11-10T1539_a376_error.json", E, ()),
    (
        "2025-11-12T2207_a569.json",
        C,
        ((TODAY_APPEARED, "2025-11-13", "+00:00–02:00 +09:00–16:00 +19:30–24:00"),),
    ),
    ("2026-08-21T2351_a30165_empty_fact.json", R, ()),
]


def _snapshots(region: str) -> list:
    folder = fixtures_dir() / "outage-data-ua" / region
    return [
        parse_document(decode_json(p.read_bytes()), region=region)
        for p in sorted(folder.glob("*.json"))
    ]


def _files(region: str) -> list[str]:
    return [p.name for p in sorted((fixtures_dir() / "outage-data-ua" / region).glob("*.json"))]


@pytest.mark.parametrize(
    ("region", "queue", "expected"),
    [("kyiv", "3.1", KYIV_3_1), ("dnipro", "1.2", DNIPRO_1_2)],
    ids=["kyiv-3.1", "dnipro-1.2"],
)
def test_every_step_of_the_series_has_the_expected_decision(region, queue, expected):
    assert _files(region) == [row[0] for row in expected], "the table must cover every file"
    steps = list(replay(_snapshots(region), queue))
    for (name, decision, changes), (_, check) in zip(expected, steps, strict=True):
        got = [(c.kind, c.date.isoformat(), c.diff.describe()) for c in check.changes]
        assert (check.decision, got) == (decision, list(changes)), name


def test_error_runs_keep_the_previous_schedule_even_when_their_content_differs():
    # a134 (error) carries tomorrow 08.11 with outages; a114 had it as a placeholder.
    snapshots = _snapshots("kyiv")
    names = _files("kyiv")
    steps = dict(zip(names, replay(snapshots, "3.1"), strict=True))
    before = steps["2025-11-07T1428_a114.json"][1].keep
    during = steps["2025-11-07T1936_a134_error.json"][1].keep
    assert during == before
    assert not during[next(d for d in during if d.isoformat() == "2025-11-08")].published


@pytest.mark.parametrize("queue", [f"{a}.{b}" for a in range(1, 7) for b in (1, 2)])
@pytest.mark.parametrize("region", ["kyiv", "dnipro"])
def test_unchanged_recommit_and_error_runs_never_alert_for_any_queue(region, queue):
    for snapshot, check in replay(_snapshots(region), queue):
        if not snapshot.source_ok:
            assert check.decision is Decision.SOURCE_ERROR
            assert check.changes == ()
    if region == "kyiv":
        steps = dict(zip(_files(region), replay(_snapshots(region), queue), strict=True))
        assert steps["2025-11-09T0735_a261_unchanged.json"][1].decision is Decision.NO_CHANGE
        assert steps["2025-11-09T0633_a256.json"][1].decision is Decision.ROLLOVER


def test_replay_cli_prints_one_line_per_file(capsys: pytest.CaptureFixture[str]):
    from esvitlo.cli import main

    folder: Path = fixtures_dir() / "outage-data-ua" / "kyiv"
    assert main(["replay", str(folder), "GPV3.1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(KYIV_3_1)
    assert lines[5].startswith("2025-11-09T0633_a256.json") and lines[5].endswith("rollover")
    assert "tomorrow_appeared 2025-11-16 +04:30–08:30 +16:00–19:30" in lines[13]
