"""``esvitlo lookup`` against local fake operator APIs served from a background thread."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from esvitlo.cli import main
from esvitlo.testing.lookup_servers import FakeCherkasy, FakeDtekSite, FakeYasno

CATALOGUE = """
[[regions]]
id = "kyiv"
name_uk = "Київ"
name_en = "Kyiv"

[[regions.lookup]]
kind = "yasno"
url = "{yasno}"
region_id = 25
dso_id = 902

[[regions]]
id = "odesa"
name_uk = "Одеса"
name_en = "Odesa"

[[regions.lookup]]
kind = "dtek"
url = "{dtek}"
city = "м. Київ"

[[regions]]
id = "kyiv-region"
name_uk = "Київщина"
name_en = "Kyiv region"

[[regions.lookup]]
kind = "dtek"
url = "{dtek}"
city = "*"

[[regions]]
id = "cherkasy"
name_uk = "Черкащина"
name_en = "Cherkasy region"

[[regions.lookup]]
kind = "cherkasy"
url = "{cherkasy}/disconn.php"

[[regions]]
id = "volyn"
name_uk = "Волинь"
name_en = "Volyn"
"""


class _Servers:
    """The fakes on an event loop of their own, so the CLI's asyncio.run can reach them."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.yasno, self.dtek, self.cherkasy = FakeYasno(), FakeDtekSite(), FakeCherkasy()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()
        for server in (self.yasno, self.dtek, self.cherkasy):
            asyncio.run_coroutine_threadsafe(server.start(), self.loop).result(5)

    def stop(self) -> None:
        for server in (self.yasno, self.dtek, self.cherkasy):
            asyncio.run_coroutine_threadsafe(server.stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@pytest.fixture
def servers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Servers]:
    running = _Servers()
    running.start()
    path = tmp_path / "regions.toml"
    text = CATALOGUE.format(
        yasno=running.yasno.base_url,
        dtek=running.dtek.base_url,
        cherkasy=running.cherkasy.base_url,
    )
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(path))
    monkeypatch.delenv("ESVITLO_FETCH_TIMEOUT", raising=False)
    monkeypatch.setattr("esvitlo.app.lookups.PACE_SECONDS", 0.01)  # the pacer has its own tests
    yield running
    running.stop()


def test_found_prints_the_queue_and_json(
    servers: _Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "kyiv", "вулиця Хрещатик", "12-А"]) == 0
    assert capsys.readouterr().out.strip() == "вул. Хрещатик, 12а: queue 3.2"
    assert main(["lookup", "odesa", "Бандери", "8", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["queue"], document["street"]) == ("6.1", "просп. Степана Бандери")


def test_a_many_town_region_takes_town_comma_street(
    servers: _Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "kyiv-region", "Бородянко, Центральна", "3"]) == 0  # a typo
    assert capsys.readouterr().out.strip() == "смт Бородянка, вул. Центральна, 3: queue 6.2"
    assert main(["lookup", "kyiv-region", "Бровари, вул. Польова", "2", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["town"], document["queue"]) == ("м. Бровари", "2.2")
    assert main(["lookup", "kyiv-region", "вул. Польова", "2"]) == 2
    assert 'write STREET as "TOWN, STREET"' in capsys.readouterr().err


def test_cherkasy_finds_the_queue_through_the_house_account(
    servers: _Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "cherkasy", "м. Черкаси, вул. Зінаїди Тулуб", "12"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == "м. Черкаси, вул. Зінаїди Тулуб, 12: queue 4.1"
    assert servers.cherkasy.accounts_asked[0] not in out  # routing data only
    assert main(["lookup", "cherkasy", "Черкаси, Броварна", "3"]) == 1  # no account there
    assert "Traceback" not in capsys.readouterr().err


def test_close_matches_are_printed_with_exit_1(
    servers: _Servers, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lookup", "kyiv", "Хрещат", "1"]) == 1
    out = capsys.readouterr().out
    assert "вул. Хрещатик" in out and "вул. Хрещатицька" in out


@pytest.mark.parametrize(
    ("argv", "mode", "code", "line"),
    [
        (["lookup", "kyiv", "Шевченка", "1"], "ok", 1, "kyiv: no street like 'Шевченка'"),
        (["lookup", "kyiv", "Хорива", "99"], "ok", 1, "no house '99' on вул. Хорива"),
        (["lookup", "kyiv", "Хорива", "2"], "waf", 1, "refused the lookup (bot protection)"),
        (["lookup", "odesa", "Хорива", "2"], "waf", 1, "refused the lookup (bot protection)"),
        (["lookup", "kyiv", "Хорива", "2"], "down", 1, "lookup unavailable"),
        (["lookup", "volyn", "Хорива", "2"], "ok", 2, "volyn has no address lookup"),
        (["lookup", "atlantis", "Хорива", "2"], "ok", 2, "unknown region 'atlantis'"),
    ],
)
def test_failures_are_one_line_on_stderr(
    servers: _Servers,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    mode: str,
    code: int,
    line: str,
) -> None:
    servers.yasno.mode = servers.dtek.mode = mode
    assert main(argv) == code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and line in captured.err
    assert "Traceback" not in captured.err


def test_no_network_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "regions.toml"
    nowhere = "http://127.0.0.1:9"
    path.write_text(CATALOGUE.format(yasno=nowhere, dtek=nowhere, cherkasy=nowhere))
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(path))
    assert main(["lookup", "kyiv", "Хрещатик", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lookup unavailable" in err
