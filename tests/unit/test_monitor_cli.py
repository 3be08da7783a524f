"""``esvitlo monitor check``: the verdict, the exit codes, and refusals in plain words."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from esvitlo.adapters.prober import NetworkProber
from esvitlo.cli import main
from esvitlo.cli.monitor import check_address
from esvitlo.domain.addresses import LOOPBACK_FOR_TESTS_ONLY
from esvitlo.domain.texts import power_texts_for

EN = power_texts_for("en")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("192.168.1.1", EN.refusal_private),
        ("100.64.0.9:8291", EN.refusal_shared),
        ("[::1]:80", EN.refusal_loopback),
        ("http://169.254.169.254/", EN.refusal_link_local),
        ("224.0.0.1", EN.refusal_multicast),
        ("ftp://home.example/", EN.target_bad_scheme),
        ("home.example:70000", EN.target_bad_port),
        ("127.1", EN.target_bad_host),
        ("", EN.target_empty),
    ],
)
def test_refused_or_invalid_address_exits_2_with_the_reason(capsys, address, reason):
    code, _, err = _run(capsys, "monitor", "check", address, "--lang", "en")
    assert code == 2
    assert err.strip() == f"esvitlo: error: {reason}"


def test_a_name_resolving_to_loopback_is_refused(capsys):
    code, out, err = _run(capsys, "monitor", "check", "localhost:8080", "--lang", "en")
    assert code == 2
    assert "127.0.0.1" in out and "localhost" in out
    assert EN.refusal_loopback in err and "localhost leads to" in err


def test_json_report_of_a_refused_name(capsys):
    code, out, _ = _run(capsys, "monitor", "check", "localhost", "--json")
    report = json.loads(out)
    assert code == 2 == report["exit_code"]
    assert report["target"] == "localhost" and "127.0.0.1" in report["addresses"]
    assert (report["problem"], report["refusal"]) == ("refused", "loopback")
    assert report["explanation"].startswith("localhost веде на")  # Ukrainian by default


def test_a_name_that_does_not_resolve_exits_1(capsys):
    code, out, _ = _run(capsys, "monitor", "check", "no-such-router.invalid:8291", "--json")
    report = json.loads(out)
    assert code == 1
    assert (report["verdict"], report["detail"], report["addresses"]) == (
        "inconclusive", "dns_failed", [],
    )  # fmt: skip


def test_bad_timeout_is_an_input_error(capsys):
    code, _, err = _run(capsys, "monitor", "check", "1.2.3.4", "--timeout", "0")
    assert code == 2 and "--timeout" in err


async def test_an_answering_router_exits_0():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    prober = NetworkProber(timeout=1.0, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=False)
    try:
        report = await check_address(f"localhost:{sock.getsockname()[1]}", prober, EN)
    finally:
        await prober.close()
        sock.close()
    assert report.exit_code == 0
    assert report.result is not None and report.result.detail == "connected"
    lines = report.lines()
    assert lines[0].startswith("target:") and "answered (tcp connected" in lines[2]


def test_monitor_check_never_imports_aiogram():
    code = (
        "import sys, io, contextlib\n"
        "from esvitlo.cli import main\n"
        "quiet = io.StringIO()\n"
        "with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):\n"
        "    assert main(['monitor', 'check', '10.0.0.1']) == 2\n"
        "assert 'aiogram' not in sys.modules, 'aiogram imported'\n"
        "print('clean')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "clean", done.stderr
