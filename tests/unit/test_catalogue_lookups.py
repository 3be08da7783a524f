"""The catalogue's [[regions.lookup]] tables: address sources beside the schedule sources."""

from __future__ import annotations

import pytest

from esvitlo.domain.address_lookup import LookupKind
from esvitlo.domain.catalogue import CatalogueError, parse_catalogue

BASE = """
[[regions]]
id = "kyiv"
name_uk = "Київ"
name_en = "Kyiv"
"""


def test_lookups_are_read_in_order_with_their_ids() -> None:
    text = (
        BASE
        + """
[[regions.lookup]]
kind = "yasno"
url = "http://127.0.0.1:1/v2"
region_id = 25
dso_id = 902

[[regions.lookup]]
kind = "dtek"
url = "http://127.0.0.1:2"
city = "м. Київ"
"""
    )
    region = parse_catalogue(text).regions[0]
    assert [s.kind for s in region.lookups] == [LookupKind.YASNO, LookupKind.DTEK]
    assert region.lookups[0].param("dso_id") == "902"
    assert region.lookups[1].param("city") == "м. Київ"


def test_a_cherkasy_table_needs_only_its_url() -> None:
    table = '\n[[regions.lookup]]\nkind = "cherkasy"\nurl = "http://127.0.0.1:3/disconn.php"\n'
    source = parse_catalogue(BASE + table).regions[0].lookups[0]
    assert (source.kind, source.url) == (LookupKind.CHERKASY, "http://127.0.0.1:3/disconn.php")


def test_a_region_without_lookup_tables_has_none() -> None:
    assert parse_catalogue(BASE).regions[0].lookups == ()


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ('kind = "google"\nurl = "http://x"', "unknown kind"),
        ('kind = "yasno"\nurl = "http://x"\nregion_id = 25', "missing dso_id"),
        ('kind = "dtek"\nurl = "http://x"', "missing city"),
    ],
)
def test_bad_lookup_tables_are_refused(table: str, reason: str) -> None:
    with pytest.raises(CatalogueError, match=reason):
        parse_catalogue(BASE + "\n[[regions.lookup]]\n" + table + "\n")


def test_the_shipped_catalogue_has_lookups_where_operators_publish_them() -> None:
    from importlib import resources

    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    regions = parse_catalogue(text).regions
    with_lookup = {r.id for r in regions if r.lookups}
    assert with_lookup == {
        "kyiv",
        "kyiv-region",
        "dnipro",
        "odesa",
        "donetsk",
        "ternopil",
        "cherkasy",
    }
    cherkasy = next(r for r in regions if r.id == "cherkasy")
    assert [s.kind for s in cherkasy.lookups] == [LookupKind.CHERKASY]
    every_town = {r.id for r in regions for s in r.lookups if s.param("city") == "*"}
    assert every_town == {"kyiv-region", "dnipro", "odesa", "donetsk"}
