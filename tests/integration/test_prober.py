"""NetworkProber against real loopback sockets (the test-only loopback policy).

Nothing here sends a packet beyond 127.0.0.0/8 and ::1: refused addresses are never
connected to, which is what these tests check.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import ssl
import struct
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from ipaddress import IPv4Address, ip_address
from pathlib import Path

import pytest
from aiohttp import web

from esvitlo.adapters.icmp import echo_request, icmp_available, is_our_reply
from esvitlo.adapters.prober import NetworkProber, classify_os_error
from esvitlo.domain.addresses import LOOPBACK_FOR_TESTS_ONLY, AddressRefusal, MonitorTarget
from esvitlo.domain.probing import ProbeVerdict

TIMEOUT = 1.0


@pytest.fixture
def listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections (the kernel completes handshakes)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 with nobody listening: a SYN gets a RST."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A listener whose accept queue is full and never drained: SYNs are dropped."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(0)
    port = sock.getsockname()[1]
    fillers = []
    for _ in range(2):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for filler in fillers:
        filler.close()
    sock.close()


@pytest.fixture
async def prober() -> AsyncIterator[NetworkProber]:
    probe = NetworkProber(timeout=TIMEOUT, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=False)
    yield probe
    await probe.close()


async def test_tcp_connected_refused_and_silent(prober, listener, closed_port, black_hole):
    answered = await prober.probe(MonitorTarget("127.0.0.1", listener))
    assert (answered.verdict, answered.method, answered.detail) == (
        ProbeVerdict.ANSWERED, "tcp", "connected",
    )  # fmt: skip
    assert answered.address == "127.0.0.1" and answered.port == listener
    refused = await prober.probe(MonitorTarget("127.0.0.1", closed_port))
    assert (refused.verdict, refused.detail) == (ProbeVerdict.ANSWERED, "refused")
    silent = await prober.probe(MonitorTarget("127.0.0.1", black_hole))
    assert (silent.verdict, silent.detail) == (ProbeVerdict.SILENT, "timeout")
    assert silent.elapsed_ms >= TIMEOUT * 1000 * 0.9
    assert silent.counts_as_miss and not refused.counts_as_miss


async def test_the_product_policy_refuses_loopback_without_connecting(listener):
    accepting = socket.socket()
    accepting.bind(("127.0.0.1", 0))
    accepting.listen(8)
    accepting.setblocking(False)
    prober = NetworkProber(timeout=TIMEOUT)  # the default: production
    try:
        for host in ("127.0.0.1", "localhost"):
            result = await prober.probe(MonitorTarget(host, accepting.getsockname()[1]))
            assert (result.verdict, result.detail) == (
                ProbeVerdict.INCONCLUSIVE, "refused_address",
            )  # fmt: skip
            assert result.refusal is AddressRefusal.LOOPBACK
            assert ip_address(result.address).is_loopback
            assert not result.counts_as_miss
        with pytest.raises(BlockingIOError):
            accepting.accept()  # nobody ever connected
    finally:
        accepting.close()
        await prober.close()


class FixedDnsProber(NetworkProber):
    """A prober whose resolver answers from a table (a name with a private address too)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        super().__init__(timeout=TIMEOUT, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=False)
        self.answers = answers
        self.lookups = 0

    async def lookup(self, host):
        self.lookups += 1
        return [ip_address(a) for a in self.answers.get(host, [host])]


async def test_a_name_with_any_refused_address_is_not_probed(listener):
    prober = FixedDnsProber({"rebind.example": ["127.0.0.1", "10.0.0.7"]})
    result = await prober.probe(MonitorTarget("rebind.example", listener))
    assert result.detail == "refused_address" and result.refusal is AddressRefusal.PRIVATE
    assert result.address == "10.0.0.7"
    await prober.probe(MonitorTarget("rebind.example", listener))
    assert prober.lookups == 2  # resolved again at every probe


async def test_a_name_that_does_not_resolve_is_inconclusive(prober):
    result = await prober.probe(MonitorTarget("no-such-router.invalid", 80))
    assert (result.verdict, result.method, result.detail) == (
        ProbeVerdict.INCONCLUSIVE, "dns", "dns_failed",
    )  # fmt: skip
    assert not result.counts_as_miss


async def test_without_port_tries_80_and_443_and_either_answers():
    prober = FixedDnsProber({"home.example": ["127.0.0.1"]})
    result = await prober.probe(MonitorTarget("home.example"))
    # nothing listens on 127.0.0.1:80 or :443 here, so the first RST answers
    assert result.verdict is ProbeVerdict.ANSWERED and result.method == "tcp"
    assert result.port in (80, 443)


def _ping_allowed_by_kernel() -> bool:
    low, high = map(int, Path("/proc/sys/net/ipv4/ping_group_range").read_text().split())
    return any(low <= group <= high for group in {os.getgid(), *os.getgroups()})


def test_icmp_detection_follows_the_kernel_setting():
    assert icmp_available() == _ping_allowed_by_kernel()


async def test_icmp_off_falls_back_to_tcp(closed_port):
    prober = NetworkProber(timeout=TIMEOUT, policy=LOOPBACK_FOR_TESTS_ONLY)
    assert prober.icmp == icmp_available()
    if not prober.icmp:
        result = await prober.probe(MonitorTarget("127.0.0.1"))
        assert result.method == "tcp" and result.verdict is ProbeVerdict.ANSWERED


@pytest.mark.skipif(icmp_available(), reason="ping sockets are allowed on this host")
async def test_icmp_forced_where_the_kernel_forbids_it_falls_back_to_tcp():
    prober = NetworkProber(timeout=TIMEOUT, policy=LOOPBACK_FOR_TESTS_ONLY, icmp=True)
    result = await prober.probe(MonitorTarget("127.0.0.1"))
    assert result.method == "tcp" and result.verdict is ProbeVerdict.ANSWERED
    assert prober.icmp is False  # decided once: TCP from now on


def test_echo_packets_carry_a_valid_checksum_and_match_only_our_reply():
    payload = b"0123456789abcdef"
    request = echo_request(4, 513, payload)
    words = struct.unpack(f"!{len(request) // 2}H", request)
    total = sum(words)
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    assert total == 0xFFFF  # the Internet checksum verifies
    reply = struct.pack("!BBHHH", 0, 0, 0, 4242, 513) + payload
    assert is_our_reply(reply, 4, 4242, 513, payload)
    assert not is_our_reply(reply, 4, 4243, 513, payload)  # another socket's identifier
    assert not is_our_reply(reply, 4, 4242, 514, payload)  # an older sequence
    assert not is_our_reply(reply, 4, 4242, 513, b"x" * 16)  # another payload
    assert not is_our_reply(request, 4, 0, 513, payload)  # our own request echoed back
    v6_reply = struct.pack("!BBHHH", 129, 0, 0, 7, 9) + payload
    assert is_our_reply(v6_reply, 6, 7, 9, payload)


@pytest.mark.parametrize(
    ("code", "verdict", "detail"),
    [
        (errno.ECONNREFUSED, ProbeVerdict.ANSWERED, "refused"),
        (errno.ECONNRESET, ProbeVerdict.ANSWERED, "reset"),
        (errno.EHOSTUNREACH, ProbeVerdict.SILENT, "unreachable"),
        (errno.EHOSTDOWN, ProbeVerdict.SILENT, "unreachable"),
        (errno.ETIMEDOUT, ProbeVerdict.SILENT, "timeout"),
        (errno.ENETUNREACH, ProbeVerdict.INCONCLUSIVE, "no_route"),
        (errno.EADDRNOTAVAIL, ProbeVerdict.INCONCLUSIVE, "local_error"),
        (errno.EMFILE, ProbeVerdict.INCONCLUSIVE, "local_error"),
        (errno.EACCES, ProbeVerdict.INCONCLUSIVE, "local_error"),
    ],
)
def test_socket_errors_are_classified(code, verdict, detail):
    assert classify_os_error(OSError(code, "x")) == (verdict, detail)


@pytest.fixture
async def http_server() -> AsyncIterator[tuple[int, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    async def handle(request: web.Request) -> web.Response:
        seen.append({"method": request.method, "host": request.host, "path": request.path_qs})
        if request.path == "/away":
            raise web.HTTPFound("http://127.0.0.1:1/elsewhere")
        if request.path == "/locked":
            return web.Response(status=401)
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield port, seen
    await runner.cleanup()


async def test_http_head_any_status_answers_and_redirects_are_not_followed(http_server):
    port, seen = http_server
    prober = FixedDnsProber({"router.example": ["127.0.0.1"]})
    try:
        ok = await prober.probe(MonitorTarget("router.example", port, "http", "/status?x=1"))
        locked = await prober.probe(MonitorTarget("127.0.0.1", port, "http", "/locked"))
        away = await prober.probe(MonitorTarget("127.0.0.1", port, "http", "/away"))
    finally:
        await prober.close()
    assert [r.detail for r in (ok, locked, away)] == ["http 200", "http 401", "http 302"]
    assert all(r.verdict is ProbeVerdict.ANSWERED and r.method == "http" for r in (ok, locked))
    assert seen[0] == {"method": "HEAD", "host": f"router.example:{port}", "path": "/status?x=1"}
    assert len(seen) == 3  # the redirect was not followed


async def test_http_to_a_closed_port_or_a_black_hole(closed_port, black_hole, prober):
    refused = await prober.probe(MonitorTarget("127.0.0.1", closed_port, "http"))
    assert (refused.verdict, refused.detail) == (ProbeVerdict.ANSWERED, "refused")
    silent = await prober.probe(MonitorTarget("127.0.0.1", black_hole, "https"))
    assert (silent.verdict, silent.detail) == (ProbeVerdict.SILENT, "timeout")


async def test_http_that_connects_but_never_replies_still_answered(listener, prober):
    result = await prober.probe(MonitorTarget("127.0.0.1", listener, "http"))
    assert (result.verdict, result.detail) == (ProbeVerdict.ANSWERED, "http_timeout")


async def test_resolve_lists_every_address_and_checks_each():
    prober = FixedDnsProber({"two.example": ["127.0.0.1", "::1"]})
    assert await prober.resolve("two.example") == [IPv4Address("127.0.0.1"), ip_address("::1")]


ICMP_IN_NAMESPACE = """
import asyncio, json
from pathlib import Path
from esvitlo.adapters.icmp import icmp_available
from esvitlo.adapters.prober import NetworkProber
from esvitlo.domain.addresses import LOOPBACK_FOR_TESTS_ONLY, MonitorTarget

async def main():
    prober = NetworkProber(timeout=1.0, policy=LOOPBACK_FOR_TESTS_ONLY)
    seen = {"available": icmp_available()}
    for host in ("127.0.0.1", "::1", "127.9.9.9"):
        seen[host] = await prober.probe(MonitorTarget(host))
    Path("/proc/sys/net/ipv4/icmp_echo_ignore_all").write_text("1")
    seen["ignored"] = await prober.probe(MonitorTarget("127.0.0.1"))
    print(json.dumps({k: v if isinstance(v, bool) else [v.verdict, v.method, v.detail]
                      for k, v in seen.items()}))

asyncio.run(main())
"""


def test_icmp_echo_where_the_kernel_allows_it():
    """In a network namespace of our own (loopback only), with ping sockets allowed there."""
    shell = (
        "ip link set lo up && "
        "echo '0 2147483647' > /proc/sys/net/ipv4/ping_group_range && "
        f'exec "{sys.executable}" -c "$0"'
    )
    try:
        done = subprocess.run(
            ["unshare", "--net", "sh", "-c", shell, ICMP_IN_NAMESPACE],
            capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
    except FileNotFoundError:
        pytest.skip("no unshare here")
    if done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"cannot make a network namespace: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["available"] is True
    for host in ("127.0.0.1", "::1", "127.9.9.9"):
        assert seen[host] == ["answered", "icmp", "echo_reply"], host
    assert seen["ignored"] == ["silent", "icmp", "timeout"]


@pytest.fixture
def certificate(tmp_path) -> tuple[Path, Path]:
    """A self-signed certificate for router.example (key, cert), made by openssl."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-keyout", str(key), "-out", str(cert), "-subj", "/CN=router.example"],
            capture_output=True, check=True, timeout=60,
        )  # fmt: skip
    except (FileNotFoundError, subprocess.CalledProcessError):
        pytest.skip("no openssl to make a certificate")
    return key, cert


@pytest.fixture
async def tls_server(certificate) -> AsyncIterator[tuple[int, list[str]]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate; the SNI names it saw."""
    key, cert = certificate
    names: list[str] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    app = web.Application()

    async def forbidden(_request: web.Request) -> web.Response:
        return web.Response(status=403)

    app.router.add_route("*", "/{tail:.*}", forbidden)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    yield site._server.sockets[0].getsockname()[1], names
    await runner.cleanup()


async def test_https_head_sends_the_name_by_sni_and_accepts_a_self_signed_router(tls_server):
    port, names = tls_server
    prober = FixedDnsProber({"router.example": ["127.0.0.1"]})
    try:
        result = await prober.probe(MonitorTarget("router.example", port, "https"))
        plain = await prober.probe(MonitorTarget("127.0.0.1", port, "http"))
    finally:
        await prober.close()
    assert (result.verdict, result.detail, result.address) == (
        ProbeVerdict.ANSWERED, "http 403", "127.0.0.1",
    )  # fmt: skip
    assert names == ["router.example"]
    assert (plain.verdict, plain.detail) == (ProbeVerdict.ANSWERED, "http_broken")
