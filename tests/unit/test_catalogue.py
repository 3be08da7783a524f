"""The region catalogue: the shipped file and the errors of a malformed one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from esvitlo.domain.catalogue import Catalogue, CatalogueError, Region, parse_catalogue
from esvitlo.domain.documents import SourceKind
from esvitlo.settings import Settings

OE = "https://raw.githubusercontent.com/yaroslav2901/OE_OUTAGE_DATA/main/data/"
DTEK_FEED = "https://raw.githubusercontent.com/Baskerville42/outage-data-ua/main/data/"
YASNO = "https://app.yasno.ua/api/blackout-service/public/shutdowns/regions/"

OE_REGIONS = {
    "zhytomyr": "Zhytomyroblenergo",
    "zakarpattia": "Zakarpattiaoblenerho",
    "zaporizhzhia": "Zaporizhzhiaoblenergo",
    "ivano-frankivsk": "Prykarpattiaoblenerho",
    "lviv": "Lvivoblenerho",
    "poltava": "Poltavaoblenergo",
    "rivne": "Rivneoblenergo",
    "ternopil": "Ternopiloblenerho",
    "kharkiv": "Kharkivoblenerho",
    "khmelnytskyi": "Khmelnytskoblenerho",
    "cherkasy": "Cherkasyoblenergo",
    "chernihiv": "Chernihivoblenergo",
}


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
    return parse_catalogue(text)


# The 24 oblasts (Dnipro's entry is Dnipropetrovsk oblast, Kyiv region is Kyiv oblast).
OBLASTS_UK = {
    "Вінницька", "Волинська", "Дніпро", "Донецька", "Житомирська", "Закарпатська",
    "Запорізька", "Івано-Франківська", "Київська", "Кіровоградська", "Луганська", "Львівська",
    "Миколаївська", "Одеська", "Полтавська", "Рівненська", "Сумська", "Тернопільська",
    "Харківська", "Херсонська", "Хмельницька", "Черкаська", "Чернівецька", "Чернігівська",
}  # fmt: skip
WITHOUT_SCHEDULE = {"volyn", "donetsk", "kirovohrad", "luhansk", "sumy", "kherson", "chernivtsi"}
UK_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"


def _uk_order(name: str) -> list[int]:
    return [UK_ALPHABET.index(c) if c in UK_ALPHABET else -1 for c in name.casefold()]


def test_shipped_catalogue_lists_every_oblast_and_kyiv(shipped: Catalogue) -> None:
    ids = [r.id for r in shipped.regions]
    assert len(ids) == 25
    assert len(set(ids)) == len(ids)
    assert {"vinnytsia", *OE_REGIONS, *WITHOUT_SCHEDULE, "mykolaiv"} <= set(ids)
    oblasts = [r for r in shipped.regions if r.id != "kyiv"]
    assert {r.name_uk.split()[0] for r in oblasts} == OBLASTS_UK
    assert shipped.get("kyiv") is not None and shipped.get("kyiv-region") is not None
    assert all(r.tz == "Europe/Kyiv" for r in shipped.regions)
    assert all(r.name_uk and r.name_en for r in shipped.regions)


def test_display_order_is_the_dtek_regions_then_the_rest_by_ukrainian_name(
    shipped: Catalogue,
) -> None:
    ids = [r.id for r in shipped.regions]
    assert ids[:4] == ["kyiv", "kyiv-region", "dnipro", "odesa"]
    rest = [r.name_uk for r in shipped.regions[4:]]
    assert rest == sorted(rest, key=_uk_order)


def test_regions_without_a_public_schedule_are_listed_with_no_sources(
    shipped: Catalogue,
) -> None:
    # Mykolaiv gets its own source kind; until then it is listed without one
    bare = {r.id for r in shipped.regions if not r.sources} - {"mykolaiv"}
    assert bare == WITHOUT_SCHEDULE
    assert all(not shipped.get(i).has_schedule for i in WITHOUT_SCHEDULE)  # type: ignore[union-attr]
    assert sum(r.has_schedule for r in shipped.regions) >= 17


@pytest.mark.parametrize("region_id", ["kyiv", "kyiv-region", "dnipro", "odesa"])
def test_dtek_feed_regions(shipped: Catalogue, region_id: str) -> None:
    region = shipped.get(region_id)
    assert region is not None
    assert region.sources[0].kind is SourceKind.DTEK
    assert region.sources[0].url == f"{DTEK_FEED}{region_id}.json"


@pytest.mark.parametrize(
    ("region_id", "path"),
    [("kyiv", "25/dsos/902/planned-outages"), ("dnipro", "3/dsos/301/planned-outages")],
)
def test_kyiv_and_dnipro_have_a_yasno_fallback(
    shipped: Catalogue, region_id: str, path: str
) -> None:
    region = shipped.get(region_id)
    assert region is not None
    assert [s.kind for s in region.sources] == [SourceKind.DTEK, SourceKind.YASNO]
    assert region.sources[1].url == YASNO + path


@pytest.mark.parametrize(("region_id", "name"), sorted(OE_REGIONS.items()))
def test_oe_regions(shipped: Catalogue, region_id: str, name: str) -> None:
    region = shipped.get(region_id)
    assert region is not None
    assert [(s.kind, s.url) for s in region.sources] == [(SourceKind.DTEK, f"{OE}{name}.json")]
    assert shipped.find(name) is region


def test_vinnytsia_comes_from_its_own_repository(shipped: Catalogue) -> None:
    region = shipped.get("vinnytsia")
    assert region is not None
    assert region.sources[0].url.endswith(
        "olnet93/gpv-voe-vinnytsia/main/data/Vinnytsiaoblenerho.json"
    )


@pytest.mark.parametrize(
    ("hint", "region_id"),
    [
        ("Zhytomyr", "zhytomyr"),
        ("zhytomyr", "zhytomyr"),
        ("Zhytomyr region", "zhytomyr"),
        ("  ZHYTOMYROBLENERGO ", "zhytomyr"),
        ("kyiv", "kyiv"),
        ("Kyiv region", "kyiv-region"),
        ("kyiv-region", "kyiv-region"),
        ("Prykarpattia", "ivano-frankivsk"),
        ("Dnipro and region", "dnipro"),
        ("Odesa", "odesa"),
        ("Sumy", "sumy"),
        ("Lutsk", "volyn"),
        ("Kropyvnytskyi", "kirovohrad"),
        ("Chernivtsioblenergo", "chernivtsi"),
        ("Mykolaiv", "mykolaiv"),
    ],
)
def test_find(shipped: Catalogue, hint: str, region_id: str) -> None:
    region = shipped.find(hint)
    assert region is not None
    assert region.id == region_id


@pytest.mark.parametrize("hint", ["Kyiv oblast", "Київ", "", "atlantis", "kyiv region 2"])
def test_find_unknown(shipped: Catalogue, hint: str) -> None:
    assert shipped.find(hint) is None


def test_get_and_names(shipped: Catalogue) -> None:
    region = shipped.get("zhytomyr")
    assert isinstance(region, Region)
    assert (region.name("uk"), region.name("en")) == ("Житомирська область", "Zhytomyr region")
    assert region.name("de") == "Житомирська область"
    assert shipped.get("Zhytomyr") is None  # get is by id only


def test_settings_default_catalogue_is_the_shipped_one(
    shipped: Catalogue, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ESVITLO_REGIONS_FILE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    assert Settings().catalogue() == shipped


def test_settings_catalogue_file_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "regions.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ESVITLO_REGIONS_FILE", str(path))
    catalogue = Settings().catalogue()
    assert [r.id for r in catalogue.regions] == ["test"]


MINIMAL = """
[[regions]]
id = "test"
name_uk = "Тест"
name_en = "Test"
aliases = ["T"]

[[regions.sources]]
kind = "dtek"
url = "https://example.org/test.json"
"""


def test_minimal_catalogue_defaults() -> None:
    (region,) = parse_catalogue(MINIMAL).regions
    assert region.tz == "Europe/Kyiv"
    assert region.aliases == ("T",)
    assert region.sources[0].kind is SourceKind.DTEK


def _region(body: str, sources: str = '[[regions.sources]]\nkind = "dtek"\nurl = "u"\n') -> str:
    head = '[[regions]]\nname_uk = "Тест"\nname_en = "Test"\n'
    return head + body + "\n" + sources


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[regions]\nid = 1", r"^not TOML: "),
        ("title = 'x'", r"^needs at least one \[\[regions\]\] table$"),
        ("regions = []", r"^needs at least one \[\[regions\]\] table$"),
        ("regions = 'kyiv'", r"^needs at least one \[\[regions\]\] table$"),
        ("regions = [1]", r"^region #1: expected a table$"),
        (_region(""), r"^region #1: 'id' must be a non-empty string$"),
        (_region('id = " "'), r"^region #1: 'id' must be a non-empty string$"),
        (_region('id = "t"\nname_en = 5'), r"not TOML"),  # duplicate key is a TOML error
        (
            _region('id = "t"\nsources = "u"', sources=""),
            r"^region 't': 'sources' must be \[\[regions\.sources\]\] tables$",
        ),
        (
            _region('id = "t"\nsources = [{ kind = "dtek" }, 1]', sources=""),
            r"^region 't' source #1: 'url' must be a non-empty string$",
        ),
        (
            _region('id = "t"\naliases = ["Sumy"]')
            + '[[regions]]\nid = "sumy"\nname_uk = "Суми"\nname_en = "Sumy region"\n',
            r"^name 'sumy' belongs to two regions: t, sumy$",
        ),
        (
            _region('id = "t"', sources='[[regions.sources]]\nkind = "html"\nurl = "u"\n'),
            r"^region 't' source #1: unknown kind 'html' \(known: dtek, yasno",
        ),
        (
            _region('id = "t"', sources='[[regions.sources]]\nkind = "dtek"\n'),
            r"^region 't' source #1: 'url' must be a non-empty string$",
        ),
        (
            _region('id = "t"\nsources = ["u"]', sources=""),
            r"^region 't' source #1: expected a table$",
        ),
        (
            _region('id = "t"\ntz = "Europe/Kiev2"'),
            r"^region 't': unknown time zone 'Europe/Kiev2'$",
        ),
        (_region('id = "t"\ntz = "../etc/passwd"'), r"^region 't': unknown time zone"),
        (_region('id = "t"\naliases = "T"'), r"^region 't': 'aliases' must be a list of strings$"),
        (_region('id = "t"\naliases = [1]'), r"^region 't': 'aliases' must be a list of strings$"),
        (
            _region('id = "t"') + _region('id = "u"') + _region('id = "t"'),
            r"^duplicate region ids: t$",
        ),
    ],
)
def test_malformed_catalogue(text: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(text)


@pytest.mark.parametrize("sources", ["", "sources = []\n"])
def test_a_region_without_sources_is_listed_without_a_schedule(sources: str) -> None:
    text = MINIMAL + '[[regions]]\nid = "sumy"\nname_uk = "Сумська"\nname_en = "Sumy"\n' + sources
    catalogue = parse_catalogue(text)
    sumy = catalogue.get("sumy")
    assert sumy is not None and sumy.sources == () and not sumy.has_schedule
    assert [r.has_schedule for r in catalogue.regions] == [True, False]


def test_missing_names_are_errors() -> None:
    text = (
        '[[regions]]\nid = "t"\nname_uk = "Тест"\n[[regions.sources]]\nkind = "dtek"\nurl = "u"\n'
    )
    with pytest.raises(CatalogueError, match=r"^region 't': 'name_en' must be a non-empty string$"):
        parse_catalogue(text)
