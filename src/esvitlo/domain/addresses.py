"""Which addresses a monitor may probe: the refusal rule, the policy, the target parser and
the ports a new monitor may use.

A home router is probed only at a public unicast address. Everything else (private,
loopback, link-local, shared CGNAT, multicast, documentation, reserved, and IPv6 forms
that carry such an IPv4 address inside) is refused, for IP literals at parse time and for
every address a name resolves to at every probe (DNS rebinding). Names without a dot
(``postgres``, ``localhost``) are refused at parse time: they only ever mean something
inside a network, and answering for them would tell what lives inside ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import urlsplit


class AddressRefusal(StrEnum):
    """Why an address is never probed."""

    UNSPECIFIED = "unspecified"  # 0.0.0.0, ::
    LOOPBACK = "loopback"  # 127.0.0.0/8, ::1
    PRIVATE = "private"  # RFC 1918, fc00::/7 unique local, 64:ff9b:1::/48 local NAT64
    SHARED = "shared"  # 100.64.0.0/10 carrier-grade NAT
    LINK_LOCAL = "link_local"  # 169.254.0.0/16, fe80::/10
    SITE_LOCAL = "site_local"  # fec0::/10 (deprecated, still routed inside some sites)
    MULTICAST = "multicast"  # 224.0.0.0/4, ff00::/8
    BROADCAST = "broadcast"  # 255.255.255.255
    DOCUMENTATION = "documentation"  # TEST-NET-1/2/3, 2001:db8::/32, 3fff::/20
    RESERVED = "reserved"  # every other special-purpose or unallocated range
    EMBEDDED = "embedded"  # 6to4 / Teredo / NAT64 address carrying a refused IPv4 address


_V4_RANGES: tuple[tuple[IPv4Network, AddressRefusal], ...] = tuple(
    (IPv4Network(net), refusal)
    for net, refusal in (
        ("0.0.0.0/32", AddressRefusal.UNSPECIFIED),
        ("0.0.0.0/8", AddressRefusal.RESERVED),  # "this network"
        ("10.0.0.0/8", AddressRefusal.PRIVATE),
        ("100.64.0.0/10", AddressRefusal.SHARED),
        ("127.0.0.0/8", AddressRefusal.LOOPBACK),
        ("169.254.0.0/16", AddressRefusal.LINK_LOCAL),
        ("172.16.0.0/12", AddressRefusal.PRIVATE),
        ("192.0.0.0/24", AddressRefusal.RESERVED),  # IETF protocol assignments
        ("192.0.2.0/24", AddressRefusal.DOCUMENTATION),
        ("192.88.99.0/24", AddressRefusal.RESERVED),  # former 6to4 relay anycast
        ("192.168.0.0/16", AddressRefusal.PRIVATE),
        ("198.18.0.0/15", AddressRefusal.RESERVED),  # benchmarking
        ("198.51.100.0/24", AddressRefusal.DOCUMENTATION),
        ("203.0.113.0/24", AddressRefusal.DOCUMENTATION),
        ("224.0.0.0/4", AddressRefusal.MULTICAST),
        ("255.255.255.255/32", AddressRefusal.BROADCAST),
        ("240.0.0.0/4", AddressRefusal.RESERVED),
    )
)

_V6_RANGES: tuple[tuple[IPv6Network, AddressRefusal], ...] = tuple(
    (IPv6Network(net), refusal)
    for net, refusal in (
        ("::/128", AddressRefusal.UNSPECIFIED),
        ("::1/128", AddressRefusal.LOOPBACK),
        ("64:ff9b:1::/48", AddressRefusal.PRIVATE),  # local-use IPv4/IPv6 translation
        ("100::/64", AddressRefusal.RESERVED),  # discard-only
        ("2001:db8::/32", AddressRefusal.DOCUMENTATION),
        ("3fff::/20", AddressRefusal.DOCUMENTATION),
        ("2001::/23", AddressRefusal.RESERVED),  # IETF assignments (Teredo checked before)
        ("5f00::/16", AddressRefusal.RESERVED),  # SRv6 segment identifiers
        ("fc00::/7", AddressRefusal.PRIVATE),
        ("fe80::/10", AddressRefusal.LINK_LOCAL),
        ("fec0::/10", AddressRefusal.SITE_LOCAL),
        ("ff00::/8", AddressRefusal.MULTICAST),
    )
)

_GLOBAL_UNICAST = IPv6Network("2000::/3")
_NAT64 = IPv6Network("64:ff9b::/96")
_TEREDO = IPv6Network("2001::/32")


def refusal_of(ip: IPv4Address | IPv6Address) -> AddressRefusal | None:
    """Why ``ip`` must not be probed, or None for a public unicast address."""
    if isinstance(ip, IPv4Address):
        return _v4_refusal(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d on the wire
        return _v4_refusal(ip.ipv4_mapped)
    embedded = _embedded_v4(ip)
    if embedded is not None:
        return AddressRefusal.EMBEDDED if any(_v4_refusal(v4) for v4 in embedded) else None
    bare = IPv6Address(int(ip))  # drop any %zone before matching
    for network, refusal in _V6_RANGES:
        if bare in network:
            return refusal
    return None if bare in _GLOBAL_UNICAST else AddressRefusal.RESERVED


def _v4_refusal(ip: IPv4Address) -> AddressRefusal | None:
    for network, refusal in _V4_RANGES:
        if ip in network:
            return refusal
    return None


def _embedded_v4(ip: IPv6Address) -> tuple[IPv4Address, ...] | None:
    """The IPv4 addresses a 6to4, Teredo or well-known NAT64 address leads to, else None."""
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip in _TEREDO and ip.teredo is not None:
        return ip.teredo  # (server, client)
    if ip in _NAT64:
        return (IPv4Address(int(ip) & 0xFFFFFFFF),)
    return None


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """The refusal rule in force; the default (refuse everything listed) is the product's.

    ``allow_loopback`` exists only for tests and the loopback benchmark: use
    ``LOOPBACK_FOR_TESTS_ONLY`` there, never in the product, and never from settings.
    """

    allow_loopback: bool = False

    def refusal_of(self, ip: IPv4Address | IPv6Address) -> AddressRefusal | None:
        """Why ``ip`` is refused under this policy, or None."""
        refusal = refusal_of(ip)
        if refusal is AddressRefusal.LOOPBACK and self.allow_loopback:
            return None
        return refusal


PRODUCTION_POLICY = AddressPolicy()
LOOPBACK_FOR_TESTS_ONLY = AddressPolicy(allow_loopback=True)


class TargetProblem(StrEnum):
    """Why a monitor address could not be accepted."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_URL = "bad_url"
    BAD_SCHEME = "bad_scheme"
    CREDENTIALS = "credentials"
    BAD_PORT = "bad_port"
    BAD_HOST = "bad_host"
    BARE_NAME = "bare_name"  # a name without a dot: only meaningful inside a network
    PORT_NOT_ALLOWED = "port_not_allowed"  # not one of ROUTER_PORTS (new monitors only)
    REFUSED = "refused"


class InvalidTarget(ValueError):
    """An address the user typed that cannot be monitored; ``reason`` says why."""

    def __init__(self, reason: TargetProblem, refusal: AddressRefusal | None = None) -> None:
        super().__init__(f"{reason.value}: {refusal.value}" if refusal else reason.value)
        self.reason = reason
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class MonitorTarget:
    """What to probe: an IP literal or a lower-case IDNA host name, a port, maybe a URL."""

    host: str
    port: int | None = None
    scheme: str | None = None  # "http" / "https": probe with HTTP HEAD
    path: str = "/"

    def as_text(self) -> str:
        """The canonical form stored in the database; ``parse_target`` reads it back."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.scheme:
            port = f":{self.port}" if self.port is not None else ""
            return f"{self.scheme}://{host}{port}{self.path}"
        if self.port is not None:
            return f"{host}:{self.port}"
        return self.host

    def display(self) -> str:
        """The form shown to people: like ``as_text`` with international names in Unicode."""
        text = self.as_text()
        if "xn--" not in self.host:
            return text
        try:
            readable = self.host.encode("ascii").decode("idna")
        except UnicodeError:
            return text
        return text.replace(self.host, readable, 1)

    @property
    def is_ip_literal(self) -> bool:
        """Whether ``host`` is an IP address rather than a name."""
        return _ip_or_none(self.host) is not None


MAX_TEXT = 300
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
_PORT = re.compile(r"[0-9]{1,5}")


def parse_target(text: str) -> MonitorTarget:
    """Read ``1.2.3.4[:port]``, ``[v6]:port``, ``v6``, ``name[:port]`` or an http(s) URL.

    Raises InvalidTarget (reason REFUSED with the refusal for a refused IP literal).
    """
    text = text.strip()
    if not text:
        raise InvalidTarget(TargetProblem.EMPTY)
    if len(text) > MAX_TEXT:
        raise InvalidTarget(TargetProblem.TOO_LONG)
    if any(ch.isspace() for ch in text):
        raise InvalidTarget(TargetProblem.BAD_HOST)
    if "://" in text:
        return _parse_url(text)
    if "/" in text or "@" in text:
        raise InvalidTarget(TargetProblem.BAD_HOST)
    host, port = _split_host_port(text)
    return MonitorTarget(host=_checked_host(host), port=_checked_port(port))


def _parse_url(text: str) -> MonitorTarget:
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
    except ValueError as exc:
        raise InvalidTarget(TargetProblem.BAD_URL) from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidTarget(TargetProblem.BAD_SCHEME)
    if "@" in parts.netloc:
        raise InvalidTarget(TargetProblem.CREDENTIALS)
    if not hostname:
        raise InvalidTarget(TargetProblem.BAD_HOST)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    if not path.startswith("/") or any(ord(ch) < 33 or ord(ch) > 126 for ch in path):
        raise InvalidTarget(TargetProblem.BAD_URL)
    return MonitorTarget(
        host=_checked_host(hostname),
        port=_checked_port(_url_port(parts.netloc)),
        scheme=parts.scheme.lower(),
        path=path,
    )


def _url_port(netloc: str) -> str | None:
    """The port text of a URL's ``host[:port]`` part (after any ``[v6]``), None when absent."""
    after_host = netloc.rpartition("]")[2]
    if ":" not in after_host:
        return None
    port = after_host.rpartition(":")[2]
    return port or None


def _split_host_port(text: str) -> tuple[str, str | None]:
    """``[v6]:80`` / ``name:80`` / bare host into host and port text (None when absent)."""
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise InvalidTarget(TargetProblem.BAD_HOST)
        return host, rest[1:] if rest else None
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, port
    return text, None  # a name, an IPv4 address, or a bare IPv6 address (no port)


def _checked_port(port: str | None) -> int | None:
    if port is None:
        return None
    if not _PORT.fullmatch(port) or not 1 <= int(port) <= 65535:
        raise InvalidTarget(TargetProblem.BAD_PORT)
    return int(port)


def _checked_host(host: str) -> str:
    """An IP literal in its compressed form (refused ones raise), or a valid IDNA name."""
    ip = _ip_or_none(host)
    if ip is not None:
        refusal = refusal_of(ip)
        if refusal is not None:
            raise InvalidTarget(TargetProblem.REFUSED, refusal)
        return ip.compressed
    return _checked_name(host)


def _ip_or_none(host: str) -> IPv4Address | IPv6Address | None:
    if "%" in host:
        return None  # a zone only makes sense on a link: never ours to probe
    try:
        return ip_address(host)
    except ValueError:
        return None


def _checked_name(host: str) -> str:
    """A lower-case ASCII (IDNA) host name with a dot; numbers-only or hex-looking names and
    single labels are refused."""
    try:
        name = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidTarget(TargetProblem.BAD_HOST) from exc
    labels = name.split(".")
    if not name or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidTarget(TargetProblem.BAD_HOST)
    # The last label must start with a letter: "127.1", "2130706433" or "0x7f000001"
    # would otherwise reach the resolver, which reads them as IPv4 addresses.
    if not labels[-1][0].isalpha():
        raise InvalidTarget(TargetProblem.BAD_HOST)
    if len(labels) < 2:
        raise InvalidTarget(TargetProblem.BARE_NAME)
    return name


ROUTER_PORTS = (80, 443, 8080, 8443, 8291, 8728, 8729)
"""The ports a new monitor may name: web interfaces (80, 443 and the usual alternates
8080, 8443) and MikroTik's Winbox (8291) and API (8728, 8729). A bare address (ICMP, or
80 and 443) and a URL without a port always qualify. The list keeps the add-a-monitor
check from being a probe of any port on the internet."""


def check_router_port(target: MonitorTarget) -> MonitorTarget:
    """``target`` when its port is one a home router would use; else InvalidTarget
    (PORT_NOT_ALLOWED). Applied to new monitors only: stored ones keep being probed."""
    if target.port is not None and target.port not in ROUTER_PORTS:
        raise InvalidTarget(TargetProblem.PORT_NOT_ALLOWED)
    return target
