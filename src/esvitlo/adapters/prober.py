"""NetworkProber: is the router at a monitor's address answering? (TCP, HTTP HEAD, ICMP)

Every probe resolves the name again and checks every address it gets against the
:class:`AddressPolicy`; a name with any refused address is not probed at all. The probe
then connects to the checked IP itself and never resolves again, so a DNS answer that
changes between the check and the connection (rebinding) cannot steer it inside.

What an outcome means (a miss is evidence that the router has no power):

- connected, or refused (RST), or any HTTP status, or a TLS error: something at the
  address answered: ANSWERED.
- no answer before the timeout, or "host unreachable" (EHOSTUNREACH / EHOSTDOWN: the last
  router on the path found nobody at the address, typically the provider's side when the
  home router is off): SILENT.
- the name does not resolve, resolves to a refused address, or our own side fails
  (ENETUNREACH: we have no route, e.g. no IPv6 here; EADDRNOTAVAIL, EMFILE, ENOBUFS,
  EACCES from a local firewall...): INCONCLUSIVE, never counted as a miss.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import struct
import time
from collections.abc import Coroutine
from dataclasses import replace
from ipaddress import IPv4Address, IPv6Address, ip_address
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from esvitlo.adapters.icmp import IcmpPinger, icmp_available
from esvitlo.domain.addresses import (
    PRODUCTION_POLICY,
    AddressPolicy,
    AddressRefusal,
    MonitorTarget,
)
from esvitlo.domain.probing import ProbeResult, ProbeVerdict

IP = IPv4Address | IPv6Address
DEFAULT_PORTS = (80, 443)  # tried together when a bare address has no port and no ICMP
_LINGER_RESET = struct.pack("ii", 1, 0)  # close with RST: no TIME_WAIT per probe

_ANSWERED_ERRNOS = {errno.ECONNREFUSED: "refused", errno.ECONNRESET: "reset"}
_SILENT_ERRNOS = {
    errno.EHOSTUNREACH: "unreachable",
    errno.EHOSTDOWN: "unreachable",
    errno.ETIMEDOUT: "timeout",
}
_NO_ROUTE_ERRNOS = {errno.ENETUNREACH, errno.ENETDOWN}


def classify_os_error(exc: OSError) -> tuple[ProbeVerdict, str]:
    """The verdict and detail of a socket error met while connecting (see the module doc)."""
    if exc.errno in _ANSWERED_ERRNOS:
        return ProbeVerdict.ANSWERED, _ANSWERED_ERRNOS[exc.errno]
    if exc.errno in _SILENT_ERRNOS:
        return ProbeVerdict.SILENT, _SILENT_ERRNOS[exc.errno]
    if exc.errno in _NO_ROUTE_ERRNOS:
        return ProbeVerdict.INCONCLUSIVE, "no_route"
    return ProbeVerdict.INCONCLUSIVE, "local_error"


class ResolutionFailed(Exception):
    """The name could not be resolved (no such name, no answer in time)."""


class RefusedAddress(Exception):
    """The name resolves to an address the policy refuses."""

    def __init__(self, address: IP, refusal: AddressRefusal) -> None:
        super().__init__(f"{address} refused: {refusal}")
        self.address = address
        self.refusal = refusal


class _LiteralOnlyResolver(AbstractResolver):
    """aiohttp's resolver here: requests carry checked IPs, so any name is an error."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            ip = ip_address(host)
        except ValueError:
            raise OSError(errno.EINVAL, "the prober resolves and checks names itself") from None
        if self._policy.refusal_of(ip) is not None:
            raise OSError(errno.EACCES, "refused address")
        fam = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return [ResolveResult(hostname=host, host=host, port=port, family=fam, proto=0, flags=0)]

    async def close(self) -> None:
        return None


async def _note_connected(
    session: aiohttp.ClientSession, context: SimpleNamespace, params: object
) -> None:
    context.trace_request_ctx.connected = True


class NetworkProber:
    """Probes monitor targets over the network (ports.Prober); call :meth:`close` at the end."""

    def __init__(
        self,
        timeout: float = 5.0,
        policy: AddressPolicy = PRODUCTION_POLICY,
        icmp: bool | None = None,
    ) -> None:
        self.timeout = timeout
        self.policy = policy
        self.icmp = icmp_available() if icmp is None else icmp
        self._pinger = IcmpPinger()
        self._http: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        """Release the HTTP session, if one was opened."""
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def resolve(self, host: str) -> list[IP]:
        """Every address of ``host`` (an IP literal is itself), each checked by the policy.

        Raises ResolutionFailed, or RefusedAddress for the first refused address.
        """
        addresses = await self.lookup(host)
        for address in addresses:
            refusal = self.policy.refusal_of(address)
            if refusal is not None:
                raise RefusedAddress(address, refusal)
        return addresses

    async def lookup(self, host: str) -> list[IP]:
        """Every address of ``host``, unchecked (an IP literal is itself); ResolutionFailed."""
        try:
            return [ip_address(host)]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.timeout):
                infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError, UnicodeError) as exc:
            raise ResolutionFailed(host) from exc
        found: list[IP] = []
        for info in infos:
            address = ip_address(str(info[4][0]).partition("%")[0])
            if address not in found:
                found.append(address)
        if not found:
            raise ResolutionFailed(host)
        return found

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        """Resolve and check ``target``'s host, then probe it once (see the module doc)."""
        started = time.perf_counter()
        try:
            addresses = await self.resolve(target.host)
        except ResolutionFailed:
            result = ProbeResult(ProbeVerdict.INCONCLUSIVE, "dns", "dns_failed")
        except RefusedAddress as refused:
            result = ProbeResult(
                ProbeVerdict.INCONCLUSIVE,
                "dns",
                "refused_address",
                address=str(refused.address),
                refusal=refused.refusal,
            )
        else:
            picks = _one_per_family(addresses)
            result = await _first_answer([self._probe_address(target, ip) for ip in picks])
        return replace(result, elapsed_ms=round((time.perf_counter() - started) * 1000, 3))

    async def _probe_address(self, target: MonitorTarget, ip: IP) -> ProbeResult:
        if target.scheme:
            return await self._http_head(target, ip)
        if target.port is not None:
            return await self.tcp(ip, target.port)
        if self.icmp:
            return await self._echo(ip)
        return await _first_answer([self.tcp(ip, port) for port in DEFAULT_PORTS])

    async def tcp(self, ip: IP, port: int) -> ProbeResult:
        """One TCP handshake to ``ip:port`` (non-blocking socket, closed with RST)."""
        loop = asyncio.get_running_loop()
        sock: socket.socket | None = None
        try:
            sock = socket.socket(
                socket.AF_INET6 if ip.version == 6 else socket.AF_INET, socket.SOCK_STREAM
            )
            sock.setblocking(False)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
            async with asyncio.timeout(self.timeout):
                await loop.sock_connect(sock, (str(ip), port))
        except TimeoutError:
            verdict, detail = ProbeVerdict.SILENT, "timeout"
        except OSError as exc:
            verdict, detail = classify_os_error(exc)
        else:
            verdict, detail = ProbeVerdict.ANSWERED, "connected"
        finally:
            if sock is not None:
                sock.close()
        return ProbeResult(verdict, "tcp", detail, address=str(ip), port=port)

    async def _echo(self, ip: IP) -> ProbeResult:
        try:
            answered = await self._pinger.echo(ip, self.timeout)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EPROTONOSUPPORT):
                self.icmp = False  # the permission went away: use TCP from now on
                return await _first_answer([self.tcp(ip, port) for port in DEFAULT_PORTS])
            verdict, detail = classify_os_error(exc)
            return ProbeResult(verdict, "icmp", detail, address=str(ip))
        if answered:
            return ProbeResult(ProbeVerdict.ANSWERED, "icmp", "echo_reply", address=str(ip))
        return ProbeResult(ProbeVerdict.SILENT, "icmp", "timeout", address=str(ip))

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            tracing = aiohttp.TraceConfig()
            tracing.on_connection_create_end.append(_note_connected)
            connector = aiohttp.TCPConnector(
                resolver=_LiteralOnlyResolver(self.policy),
                use_dns_cache=False,
                force_close=True,  # a fresh connection per probe: a pooled one proves nothing
                limit=0,
            )
            self._http = aiohttp.ClientSession(
                connector=connector, trace_configs=[tracing], trust_env=False
            )
        return self._http

    async def _http_head(self, target: MonitorTarget, ip: IP) -> ProbeResult:
        """HEAD ``target``'s path at the checked IP, with the name in Host and SNI."""
        assert target.scheme is not None
        port = target.port or (443 if target.scheme == "https" else 80)
        literal = f"[{ip}]" if ip.version == 6 else str(ip)
        host = f"[{target.host}]" if ":" in target.host else target.host
        default = port == (443 if target.scheme == "https" else 80)
        state = SimpleNamespace(connected=False)
        base = ProbeResult(ProbeVerdict.ANSWERED, "http", "", address=str(ip), port=port)
        try:
            async with self._session().head(
                f"{target.scheme}://{literal}:{port}{target.path}",
                headers={"Host": host if default else f"{host}:{port}"},
                allow_redirects=False,
                ssl=False,  # liveness only: a router's self-signed certificate still answers
                server_hostname=None if target.is_ip_literal else target.host,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
                trace_request_ctx=state,
            ) as response:
                return replace(base, detail=f"http {response.status}")
        except TimeoutError:
            if state.connected:
                return replace(base, detail="http_timeout")
            return replace(base, verdict=ProbeVerdict.SILENT, detail="timeout")
        except (aiohttp.ClientSSLError, aiohttp.ServerFingerprintMismatch):
            return replace(base, detail="tls_error")
        except aiohttp.ClientConnectorError as exc:
            verdict, detail = classify_os_error(exc.os_error)
            return replace(base, verdict=verdict, detail=detail)
        except aiohttp.ClientError:
            if state.connected:
                return replace(base, detail="http_broken")
            return replace(base, verdict=ProbeVerdict.INCONCLUSIVE, detail="local_error")


def _one_per_family(addresses: list[IP]) -> list[IP]:
    """The first IPv4 and the first IPv6 address, in the resolver's order."""
    picks: list[IP] = []
    for address in addresses:
        if all(pick.version != address.version for pick in picks):
            picks.append(address)
    return picks


_RANK = {ProbeVerdict.ANSWERED: 0, ProbeVerdict.SILENT: 1, ProbeVerdict.INCONCLUSIVE: 2}


async def _first_answer(probes: list[Coroutine[Any, Any, ProbeResult]]) -> ProbeResult:
    """Run probes together; the first ANSWERED, else SILENT over INCONCLUSIVE."""
    if len(probes) == 1:
        return await probes[0]
    tasks = [asyncio.ensure_future(probe) for probe in probes]
    results: list[ProbeResult] = []
    try:
        for finished in asyncio.as_completed(tasks):
            result = await finished
            if result.verdict is ProbeVerdict.ANSWERED:
                return result
            results.append(result)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return min(results, key=lambda result: _RANK[result.verdict])
