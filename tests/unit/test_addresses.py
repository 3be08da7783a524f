"""The address refusal rule, the test-only loopback policy, the monitor address parser and
the ports a new monitor may use."""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esvitlo.domain.addresses import (
    LOOPBACK_FOR_TESTS_ONLY,
    PRODUCTION_POLICY,
    ROUTER_PORTS,
    AddressRefusal,
    InvalidTarget,
    MonitorTarget,
    TargetProblem,
    check_router_port,
    parse_target,
    refusal_of,
)
from esvitlo.domain.probing import explain_problem, explain_refusal
from esvitlo.domain.texts import power_texts_for

R = AddressRefusal

REFUSALS = [
    # IPv4
    ("0.0.0.0", R.UNSPECIFIED),
    ("0.1.2.3", R.RESERVED),
    ("10.0.0.1", R.PRIVATE),
    ("10.255.255.255", R.PRIVATE),
    ("100.64.0.1", R.SHARED),
    ("100.127.255.254", R.SHARED),
    ("127.0.0.1", R.LOOPBACK),
    ("127.255.1.2", R.LOOPBACK),
    ("169.254.169.254", R.LINK_LOCAL),
    ("172.16.0.1", R.PRIVATE),
    ("172.31.255.255", R.PRIVATE),
    ("192.0.0.8", R.RESERVED),
    ("192.0.2.10", R.DOCUMENTATION),
    ("192.88.99.1", R.RESERVED),
    ("192.168.1.1", R.PRIVATE),
    ("198.18.0.1", R.RESERVED),
    ("198.19.255.255", R.RESERVED),
    ("198.51.100.7", R.DOCUMENTATION),
    ("203.0.113.200", R.DOCUMENTATION),
    ("224.0.0.1", R.MULTICAST),
    ("239.255.255.250", R.MULTICAST),
    ("240.0.0.1", R.RESERVED),
    ("255.255.255.255", R.BROADCAST),
    # IPv6
    ("::", R.UNSPECIFIED),
    ("::1", R.LOOPBACK),
    ("::ffff:10.1.2.3", R.PRIVATE),  # IPv4-mapped: it is 10.1.2.3 on the wire
    ("::ffff:127.0.0.1", R.LOOPBACK),
    ("::ffff:100.64.0.1", R.SHARED),
    ("::1.2.3.4", R.RESERVED),  # deprecated IPv4-compatible
    ("64:ff9b::10.0.0.1", R.EMBEDDED),  # NAT64 to a private address
    ("64:ff9b::127.0.0.1", R.EMBEDDED),
    ("64:ff9b:1::1", R.PRIVATE),  # local-use NAT64
    ("100::1", R.RESERVED),
    ("2001:db8::1", R.DOCUMENTATION),
    ("3fff::1", R.DOCUMENTATION),
    ("2001:2::1", R.RESERVED),  # benchmarking
    ("2001:10::1", R.RESERVED),  # ORCHID
    ("2002:c0a8:0101::1", R.EMBEDDED),  # 6to4 of 192.168.1.1
    ("2002:7f00:1::1", R.EMBEDDED),  # 6to4 of 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", R.EMBEDDED),  # Teredo, client 10.0.0.1
    ("5f00::1", R.RESERVED),
    ("fc00::1", R.PRIVATE),
    ("fd12:3456:789a::1", R.PRIVATE),
    ("fe80::1", R.LINK_LOCAL),
    ("fe80::1%2", R.LINK_LOCAL),
    ("fec0::1", R.SITE_LOCAL),
    ("ff02::1", R.MULTICAST),
    ("ff0e::1", R.MULTICAST),
    ("4000::1", R.RESERVED),  # outside 2000::/3: not allocated
    ("1::1", R.RESERVED),
]

ALLOWED = [
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "100.63.255.255",  # just below CGNAT
    "100.128.0.0",  # just above
    "172.15.255.255",
    "172.32.0.0",
    "192.169.0.1",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.254",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",  # NAT64 to a public address
    "2002:0808:0808::1",  # 6to4 of 8.8.8.8
    "2001:0:4136:e378:8000:63bf:f7f7:f7f7",  # Teredo, client 8.8.8.8
    "2a00:1450:4001:82a::200e",
    "2606:4700:4700::1111",
]


@pytest.mark.parametrize(("address", "refusal"), REFUSALS, ids=[a for a, _ in REFUSALS])
def test_refused_ranges(address, refusal):
    assert refusal_of(ip_address(address)) is refusal


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address):
    assert refusal_of(ip_address(address)) is None


def test_every_refusal_kind_is_in_the_table():
    assert {refusal for _, refusal in REFUSALS} == set(AddressRefusal)


def test_loopback_policy_allows_loopback_only():
    assert PRODUCTION_POLICY.refusal_of(ip_address("127.1.2.3")) is R.LOOPBACK
    assert LOOPBACK_FOR_TESTS_ONLY.refusal_of(ip_address("127.1.2.3")) is None
    assert LOOPBACK_FOR_TESTS_ONLY.refusal_of(ip_address("::1")) is None
    assert LOOPBACK_FOR_TESTS_ONLY.refusal_of(ip_address("10.0.0.1")) is R.PRIVATE
    assert LOOPBACK_FOR_TESTS_ONLY.refusal_of(ip_address("169.254.0.1")) is R.LINK_LOCAL


GOOD = [
    ("1.2.3.4", MonitorTarget("1.2.3.4")),
    ("  1.2.3.4:8080 ", MonitorTarget("1.2.3.4", 8080)),
    ("2a00:1450:4001::1", MonitorTarget("2a00:1450:4001::1")),
    ("2A00:1450:4001:0::1", MonitorTarget("2a00:1450:4001::1")),
    ("[2a00:1450:4001::1]:80", MonitorTarget("2a00:1450:4001::1", 80)),
    ("[2a00:1450:4001::1]", MonitorTarget("2a00:1450:4001::1")),
    ("home.ddns.net", MonitorTarget("home.ddns.net")),
    ("Home.DDNS.net.", MonitorTarget("home.ddns.net")),
    ("home.ddns.net:8291", MonitorTarget("home.ddns.net", 8291)),
    ("my-router.lan", MonitorTarget("my-router.lan")),
    ("http://home.ddns.net:8080/", MonitorTarget("home.ddns.net", 8080, "http", "/")),
    ("https://home.ddns.net", MonitorTarget("home.ddns.net", None, "https", "/")),
    ("HTTP://Home.ddns.NET/Status", MonitorTarget("home.ddns.net", None, "http", "/Status")),
    ("http://h.example.org:/", MonitorTarget("h.example.org", None, "http", "/")),
    (
        "https://[2a00:1450:4001::1]:8443/ping?x=1#top",
        MonitorTarget("2a00:1450:4001::1", 8443, "https", "/ping?x=1"),
    ),
    ("http://1.2.3.4/", MonitorTarget("1.2.3.4", None, "http", "/")),
    ("київ.укр:81", MonitorTarget("xn--b1alf1j.xn--j1amh", 81)),
]


@pytest.mark.parametrize(("text", "target"), GOOD, ids=[t for t, _ in GOOD])
def test_parse_target_accepts(text, target):
    parsed = parse_target(text)
    assert parsed == target
    assert parse_target(parsed.as_text()) == parsed


BAD = [
    ("", TargetProblem.EMPTY, None),
    ("   ", TargetProblem.EMPTY, None),
    ("a" * 301, TargetProblem.TOO_LONG, None),
    ("ftp://home.ddns.net/", TargetProblem.BAD_SCHEME, None),
    ("javascript://x.com/", TargetProblem.BAD_SCHEME, None),
    ("http://user:secret@home.ddns.net/", TargetProblem.CREDENTIALS, None),
    ("home.ddns.net:0", TargetProblem.BAD_PORT, None),
    ("home.ddns.net:65536", TargetProblem.BAD_PORT, None),
    ("home.ddns.net:http", TargetProblem.BAD_PORT, None),
    ("home.ddns.net:", TargetProblem.BAD_PORT, None),
    ("[2a00:1450:4001::1]:", TargetProblem.BAD_PORT, None),
    ("http://home.ddns.net:99999/", TargetProblem.BAD_PORT, None),
    ("http://home.ddns.net:+80/", TargetProblem.BAD_PORT, None),
    ("http:///path", TargetProblem.BAD_HOST, None),
    ("http://[::1/", TargetProblem.BAD_URL, None),
    ("home ddns.net", TargetProblem.BAD_HOST, None),
    ("-home.ddns.net", TargetProblem.BAD_HOST, None),
    ("home_1.ddns.net", TargetProblem.BAD_HOST, None),
    ("a..b", TargetProblem.BAD_HOST, None),
    ("x" * 64 + ".com", TargetProblem.BAD_HOST, None),
    ("home.ddns.net/status", TargetProblem.BAD_HOST, None),
    ("user@home.ddns.net", TargetProblem.BAD_HOST, None),
    ("127.1", TargetProblem.BAD_HOST, None),  # the resolver would read these as 127.0.0.1
    ("2130706433", TargetProblem.BAD_HOST, None),
    ("0x7f000001", TargetProblem.BAD_HOST, None),
    ("0177.0.0.1", TargetProblem.BAD_HOST, None),
    ("1.2.3", TargetProblem.BAD_HOST, None),
    ("[2a00::1", TargetProblem.BAD_HOST, None),
    ("[2a00::1]x", TargetProblem.BAD_HOST, None),
    ("fe80::1%eth0", TargetProblem.BAD_HOST, None),
    # a name without a dot means something only inside a network (ours: postgres, redis)
    ("postgres", TargetProblem.BARE_NAME, None),
    ("redis:6379", TargetProblem.BARE_NAME, None),
    ("some-internal-name:5432", TargetProblem.BARE_NAME, None),
    ("localhost", TargetProblem.BARE_NAME, None),
    ("LocalHost.", TargetProblem.BARE_NAME, None),
    ("http://postgres:5432/", TargetProblem.BARE_NAME, None),
    ("https://my-router/", TargetProblem.BARE_NAME, None),
    ("10.0.0.1", TargetProblem.REFUSED, R.PRIVATE),
    ("192.168.1.1:8291", TargetProblem.REFUSED, R.PRIVATE),
    ("127.0.0.1", TargetProblem.REFUSED, R.LOOPBACK),
    ("[::1]:80", TargetProblem.REFUSED, R.LOOPBACK),
    ("http://169.254.169.254/latest/", TargetProblem.REFUSED, R.LINK_LOCAL),
    ("http://[::ffff:127.0.0.1]/", TargetProblem.REFUSED, R.LOOPBACK),
    ("100.64.1.1", TargetProblem.REFUSED, R.SHARED),
    ("0.0.0.0:80", TargetProblem.REFUSED, R.UNSPECIFIED),
    ("2001:db8::1", TargetProblem.REFUSED, R.DOCUMENTATION),
    ("https://[fd00::1]:443/", TargetProblem.REFUSED, R.PRIVATE),
]


@pytest.mark.parametrize(("text", "problem", "refusal"), BAD, ids=[t[:40] for t, _, _ in BAD])
def test_parse_target_refuses(text, problem, refusal):
    with pytest.raises(InvalidTarget) as caught:
        parse_target(text)
    assert (caught.value.reason, caught.value.refusal) == (problem, refusal)


def test_as_text_and_display():
    assert MonitorTarget("2a00::1", 80).as_text() == "[2a00::1]:80"
    assert MonitorTarget("2a00::1", None, "https", "/x").as_text() == "https://[2a00::1]/x"
    target = parse_target("http://київ.укр:8080/")
    assert target.as_text() == "http://xn--b1alf1j.xn--j1amh:8080/"
    assert target.display() == "http://київ.укр:8080/"


_label = st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)


@given(
    labels=st.lists(_label, min_size=2, max_size=4),
    port=st.one_of(st.none(), st.integers(1, 65535)),
    scheme=st.sampled_from([None, "http", "https"]),
    path=st.from_regex(r"/[A-Za-z0-9/._~-]{0,20}", fullmatch=True),
)
def test_canonical_text_reads_back(labels, port, scheme, path):
    target = MonitorTarget(".".join(labels), port, scheme, path if scheme else "/")
    assert parse_target(target.as_text()) == target


@pytest.mark.parametrize("lang", ["uk", "en"])
def test_every_reason_is_explained_in_both_languages(lang):
    texts = power_texts_for(lang)
    other = power_texts_for("en" if lang == "uk" else "uk")
    for refusal in AddressRefusal:
        text = explain_refusal(texts, refusal)
        assert text.strip() and text != explain_refusal(other, refusal)
    for problem in TargetProblem:
        text = explain_problem(texts, problem)
        assert text.strip() and text != explain_problem(other, problem)
    assert explain_problem(texts, TargetProblem.REFUSED, R.SHARED) == texts.refusal_shared
    ports = explain_problem(texts, TargetProblem.PORT_NOT_ALLOWED)
    assert "{" not in ports and "80, 443, 8080, 8443, 8291" in ports


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3.4",  # no port: ICMP, or 80 and 443
        "home.ddns.net:80",
        "home.ddns.net:443",
        "home.ddns.net:8080",
        "[2a00:1450:4001::1]:8443",
        "home.ddns.net:8291",
        "https://home.ddns.net/",
        "http://home.ddns.net:8080/status",
    ],
)
def test_router_ports_are_allowed(text):
    target = parse_target(text)
    assert check_router_port(target) is target
    assert target.port is None or target.port in ROUTER_PORTS


@pytest.mark.parametrize(
    "text",
    ["8.8.8.8:22", "home.ddns.net:5432", "home.ddns.net:6379", "http://home.ddns.net:25/"],
)
def test_other_ports_are_refused_for_new_monitors(text):
    target = parse_target(text)  # still readable: a stored monitor keeps working
    with pytest.raises(InvalidTarget) as caught:
        check_router_port(target)
    assert caught.value.reason is TargetProblem.PORT_NOT_ALLOWED
