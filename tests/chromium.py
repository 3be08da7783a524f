"""A pytest plugin (``pytest_plugins = ("chromium",)``): headless Chromium from Debian's
package driven by Playwright, and the folder its screenshots go to.

Playwright's own browser download is never used: the system browser is launched by its
path (``ESVITLO_CHROMIUM``, default ``/usr/bin/chromium``). Without it (or without the
playwright package) a test skips with the reason, except in CI (``CI=true``), where it
fails: ``.ci/run`` installs the browser. Every screenshot saved is listed after the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ESVITLO_CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("ESVITLO_ARTEFACTS", "tmp/artefacts")).resolve()
_saved: list[Path] = []


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI installs it: .ci/run)")
    pytest.skip(reason)


@pytest.fixture
def artefacts() -> Iterator[Path]:
    """The screenshots' folder (created); every file saved there is listed after the run."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    before = {path: path.stat().st_mtime_ns for path in ARTEFACTS.iterdir()}
    yield ARTEFACTS
    written = [p for p in ARTEFACTS.iterdir() if before.get(p) != p.stat().st_mtime_ns]
    _saved.extend(sorted(written))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the browser tests left their screenshots."""
    if _saved:
        terminalreporter.write_line(f"browser artefacts in {ARTEFACTS}:")
        for path in _saved:
            terminalreporter.write_line(f"  {path.name}")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Headless Chromium (the Debian package), closed after the test."""
    if shutil.which(CHROMIUM) is None:
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _missing("the playwright package is not installed (pip install -e '.[dev]')")
    async with async_playwright() as driver:
        launched = await driver.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            yield launched
        finally:
            await launched.close()
