"""The alerting rules pass Prometheus' own checks: ``promtool check rules`` (syntax, templates)
and ``promtool test rules`` (deploy/prometheus/alerts_test.yml: each alert fires on synthetic
bad series and stays quiet on healthy ones).

promtool comes from Debian's ``prometheus`` package (``.ci/run`` installs it). Without it the
test skips locally and fails in CI (``CI=true``), so a missing tool cannot hide a broken rule.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

RULES_DIR = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"


def _promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    reason = "promtool is not installed (Debian package: prometheus)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI requires it", pytrace=False)
    pytest.skip(reason)


def _run(*args: str) -> str:
    done = subprocess.run(
        [_promtool(), *args], cwd=RULES_DIR, capture_output=True, text=True, timeout=60
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def test_promtool_accepts_the_alerting_rules() -> None:
    assert "SUCCESS" in _run("check", "rules", "alerts.yml")


def test_promtool_unit_tests_of_the_rules_pass() -> None:
    assert "SUCCESS" in _run("test", "rules", "alerts_test.yml")
