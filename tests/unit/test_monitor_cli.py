"""``esvitlo monitor check``: the verdict, the exit codes, and refusals in plain words."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from ipaddress import ip_address
from typing import ClassVar

import pytest

from esvitlo.adapters.prober import NetworkProber, ResolutionFailed
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
        ("localhost:8080", EN.target_bare_name),
        ("postgres:5432", EN.target_bare_name),
        (
            "1.1.1.1:5432",
            EN.target_port_not_allowed.format(ports="80, 443, 8080, 8443, 8291, 8728, 8729"),
        ),
    ],
)
def test_refused_or_invalid_address_exits_2_with_the_reason(capsys, address, reason):
    code, _, err = _run(capsys, "monitor", "check", address, "--lang", "en")
    assert code == 2
    assert err.strip() == f"esvitlo: error: {reason}"


class PrivateDnsProber(NetworkProber):
    """The product's prober with a resolver table: a name inside a deployment (private
    address), one with a public and a private address, and one nobody knows."""

    ANSWERS: ClassVar[dict[str, list[str]]] = {
        "db.internal.example": ["10.0.3.7"],
        "mixed.example.org": ["93.184.216.34", "172.18.0.5"],
    }

    async def lookup(self, host):
        if host not in self.ANSWERS:
            raise ResolutionFailed(host)
        return [ip_address(a) for a in self.ANSWERS[host]]


@pytest.mark.parametrize("name", ["db.internal.example", "mixed.example.org"])
async def test_a_name_leading_to_a_private_address_never_shows_it(name):
    prober = PrivateDnsProber(timeout=1.0, icmp=False)
    try:
        report = await check_address(f"{name}:8080", prober, EN)
    finally:
        await prober.close()
    shown = json.dumps(report.as_json()) + "\n".join(report.lines(EN))
    assert "10.0.3.7" not in shown and "172.18.0.5" not in shown
    assert report.exit_code == 2 and report.explanation == EN.no_public_address
    assert report.as_json()["refusal"] is None and report.as_json()["probed"] is None
    assert report.addresses == (["93.184.216.34"] if name.startswith("mixed") else [])


def test_json_report_of_a_refused_name(capsys):
    code, out, _ = _run(capsys, "monitor", "check", "localhost.", "--json")
    report = json.loads(out)
    assert code == 2 == report["exit_code"]
    assert (report["problem"], report["refusal"]) == ("bare_name", None)
    assert "повне імʼя" in report["explanation"]  # Ukrainian by default


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


class LoopbackRouterProber(NetworkProber):
    """Resolves every name to 127.0.0.1 and connects to ``port`` whatever port is asked."""

    def __init__(self, port: int) -> None:
        super().__init__(timeout=1.0, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=False)
        self.port = port

    async def lookup(self, host):
        return [ip_address("127.0.0.1")]

    async def tcp(self, ip, port):
        return await super().tcp(ip, self.port)


async def test_an_answering_router_exits_0():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4)
    prober = LoopbackRouterProber(sock.getsockname()[1])
    try:
        report = await check_address("router.example.org:8291", prober, EN)
    finally:
        await prober.close()
        sock.close()
    assert report.exit_code == 0
    assert report.result is not None and report.result.detail == "connected"
    lines = report.lines(EN)
    assert lines[0] == "target:    router.example.org:8291"
    assert lines[1] == "addresses: 127.0.0.1"
    assert lines[2].startswith("result:    answered (tcp ") and lines[2].endswith(" ms")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["target: no-such-router.invalid:8291", "result: could not resolve the name"]),
        ("uk", ["адреса:    no-such-router.invalid:8291", "результат: не вдалося знайти це імʼя"]),
    ],
)
def test_the_report_speaks_one_language_and_says_what_failed_in_words(capsys, lang, expected):
    code, out, _ = _run(capsys, "monitor", "check", "no-such-router.invalid:8291", "--lang", lang)
    assert code == 1
    assert [line.split(" · ")[0] for line in out.splitlines()] == expected
    assert "inconclusive" not in out and "dns_failed" not in out


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
