"""The layer rule beyond import-linter: domain code imports only the standard library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from fixture_files import fixtures_dir

SRC = Path(__file__).resolve().parents[2] / "src" / "esvitlo"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted((SRC / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_domain_module_imports_only_stdlib_and_domain(path: Path):
    outside = {
        name
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("esvitlo.domain")
        and name != "__future__"
    }
    assert outside == set(), f"{path.name} imports {sorted(outside)}"


def test_cli_paths_never_import_aiogram():
    code = (
        "import sys, io, contextlib\n"
        "from esvitlo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['regions'])]\n"
        "    codes.append(main(['schedule', '--file', sys.argv[1], '3.1', '--json']))\n"
        "assert codes == [0, 0], codes\n"
        "assert 'aiogram' not in sys.modules, 'aiogram imported'\n"
        "print('clean')\n"
    )
    fixture = fixtures_dir() / "outage-data-ua/kyiv/2025-11-09T0838_a265.json"
    done = subprocess.run(
        [sys.executable, "-c", code, str(fixture)], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "clean", done.stderr
