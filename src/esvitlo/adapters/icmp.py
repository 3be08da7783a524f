"""ICMP echo over Linux's unprivileged "ping sockets" (``SOCK_DGRAM`` + ``IPPROTO_ICMP``).

The kernel allows them only to groups in ``net.ipv4.ping_group_range``; where it does not,
:func:`icmp_available` says so once at start-up and the prober uses TCP instead. On a ping
socket the kernel sets the echo identifier to the socket's own "port" and delivers only
replies carrying it; we check it again, with the sequence number and a random payload.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import struct
from ipaddress import IPv4Address, IPv6Address

ECHO_REQUEST = {4: 8, 6: 128}
ECHO_REPLY = {4: 0, 6: 129}
PAYLOAD_BYTES = 16


def icmp_available() -> bool:
    """Whether this process may open an unprivileged ICMP echo socket (IPv4)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP).close()
    except OSError:
        return False
    return True


def _open(ip: IPv4Address | IPv6Address) -> socket.socket:
    if ip.version == 4:
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    return socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6)


def _checksum(data: bytes) -> int:
    """The Internet checksum (RFC 1071); the kernel recomputes it on ping sockets anyway."""
    if len(data) % 2:
        data += b"\0"
    total = sum(int(word) for word in struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_request(version: int, sequence: int, payload: bytes) -> bytes:
    """An echo request header and payload (identifier 0: the kernel sets it)."""
    header = struct.pack("!BBHHH", ECHO_REQUEST[version], 0, 0, 0, sequence)
    checksum = _checksum(header + payload) if version == 4 else 0  # IPv6: kernel's job
    return struct.pack("!BBHHH", ECHO_REQUEST[version], 0, checksum, 0, sequence) + payload


def is_our_reply(
    packet: bytes, version: int, identifier: int, sequence: int, payload: bytes
) -> bool:
    """Whether ``packet`` (ICMP header onwards) answers our request."""
    if len(packet) < 8 + len(payload):
        return False
    kind, _code, _sum, ident, seq = struct.unpack("!BBHHH", packet[:8])
    return (
        kind == ECHO_REPLY[version]
        and ident == identifier
        and seq == sequence
        and packet[8 : 8 + len(payload)] == payload
    )


class IcmpPinger:
    """Sends one echo request per call and waits for its reply."""

    def __init__(self) -> None:
        self._sequence = itertools.count(int.from_bytes(os.urandom(2), "big"))

    async def echo(self, ip: IPv4Address | IPv6Address, within: float) -> bool:
        """True on our echo reply; False when none came in time.

        Raises OSError for an ICMP error from the path (host unreachable) or a local failure.
        """
        loop = asyncio.get_running_loop()
        sequence = next(self._sequence) & 0xFFFF
        payload = os.urandom(PAYLOAD_BYTES)
        sock = _open(ip)
        try:
            sock.setblocking(False)
            sock.connect((str(ip), 0))  # datagram: no handshake, only fixes the peer
            await loop.sock_sendall(sock, echo_request(ip.version, sequence, payload))
            identifier = sock.getsockname()[1]
            async with asyncio.timeout(within):
                while True:
                    packet = await loop.sock_recv(sock, 1500)
                    if is_our_reply(packet, ip.version, identifier, sequence, payload):
                        return True
        except TimeoutError:
            return False
        finally:
            sock.close()
