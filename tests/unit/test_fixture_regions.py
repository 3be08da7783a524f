"""Every real feed file finds its region in the shipped catalogue: feeds name themselves in
their own words (``regionId`` "kyiv", "dnipro", "Zhytomyr"), and the catalogue's ids and
aliases recognise them, so ``esvitlo schedule --file`` needs no ``--region``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from esvitlo.cli.documents import load_file
from esvitlo.cli.errors import CliError
from esvitlo.domain.catalogue import Catalogue, parse_catalogue
from esvitlo.domain.documents import decode_json, region_hint

from fixture_files import all_fixture_files, fixtures_dir

# which region each fixture folder (or file name prefix) holds, from the folders' READMEs
EXPECTED = {
    "outage-data-ua/kyiv": "kyiv",
    "outage-data-ua/dnipro": "dnipro",
    "oe-outage-data/Zhytomyroblenergo": "zhytomyr",
    "yasno/planned-outages_kyiv": "kyiv",
}


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    return parse_catalogue(text)


def _expected(path: Path) -> str:
    name = path.relative_to(fixtures_dir()).as_posix()
    return next(region for prefix, region in EXPECTED.items() if name.startswith(prefix))


def test_the_fixtures_hold_files_that_name_their_region() -> None:
    hints = {region_hint(decode_json(p.read_bytes())) for p in all_fixture_files()}
    assert {"kyiv", "dnipro", "Zhytomyr"} <= hints


@pytest.mark.parametrize("path", all_fixture_files(), ids=lambda p: p.name)
def test_every_fixture_file_finds_its_region(shipped: Catalogue, path: Path) -> None:
    hint = region_hint(decode_json(path.read_bytes()))
    if hint is None:
        # a YASNO answer names no region: the CLI asks which of the YASNO regions it is
        with pytest.raises(CliError, match=r"pass --region \(one of: kyiv, dnipro\)"):
            load_file(path, shipped, None)
        loaded = load_file(path, shipped, _expected(path))
    else:
        found = shipped.find(hint)
        assert found is not None and found.id == _expected(path), hint
        loaded = load_file(path, shipped, None)
    assert loaded.region is not None and loaded.region.id == _expected(path)
    assert loaded.snapshot.region == _expected(path)
