"""Where the real schedule data lives (../shared/fixtures beside the checkout)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = ROOT.parent / "shared" / "fixtures"
LOCAL_DATA = Path(__file__).resolve().parent / "data"


def fixtures_dir() -> Path:
    """The real fixture files (../shared/fixtures beside the checkout)."""
    if not SHARED_FIXTURES.is_dir():
        raise RuntimeError(f"real schedule fixtures not found at {SHARED_FIXTURES}")
    return SHARED_FIXTURES


def all_fixture_files() -> list[Path]:
    """Every real schedule document: outage-data-ua, OE_OUTAGE_DATA and YASNO."""
    base = fixtures_dir()
    files = sorted(base.glob("outage-data-ua/*/*.json")) + sorted(
        base.glob("oe-outage-data/*.json")
    )
    return files + sorted(base.glob("yasno/*.json"))
