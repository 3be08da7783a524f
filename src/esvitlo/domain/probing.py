"""What one probe of a monitor found, and the plain-words reasons an address is refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from esvitlo.domain.addresses import ROUTER_PORTS, AddressRefusal, TargetProblem
from esvitlo.domain.texts.power import PowerTexts


class ProbeVerdict(StrEnum):
    """The outcome of one probe, as the power state machine counts it."""

    ANSWERED = "answered"  # something at the address answered: the router has power
    SILENT = "silent"  # no answer in time, or the path says the host is gone: a miss
    INCONCLUSIVE = "inconclusive"  # we could not probe (DNS, refused address, our network)


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """One probe: the verdict, how it was made, and a short English detail for logs.

    ``detail`` is one of "connected", "refused", "reset", "timeout", "unreachable",
    "http <status>", "http_broken", "tls_error", "echo_reply", "dns_failed",
    "refused_address", "no_route", "local_error", "probe_error".
    """

    verdict: ProbeVerdict
    method: str  # "tcp" | "http" | "icmp" | "dns" (failed before probing) | "error"
    detail: str
    address: str | None = None
    refusal: AddressRefusal | None = None
    elapsed_ms: float = 0.0
    port: int | None = None

    @property
    def counts_as_miss(self) -> bool:
        """Whether this probe is evidence of no power (inconclusive ones are not)."""
        return self.verdict is ProbeVerdict.SILENT


def explain_refusal(texts: PowerTexts, refusal: AddressRefusal) -> str:
    """Why an address is refused, in plain words of the texts' language."""
    text: str = getattr(texts, f"refusal_{refusal.value}")
    return text


def explain_problem(
    texts: PowerTexts, problem: TargetProblem, refusal: AddressRefusal | None = None
) -> str:
    """Why a typed monitor address was not accepted (a refused IP literal says which kind:
    the user typed it, so nothing is told that they did not know)."""
    if problem is TargetProblem.REFUSED and refusal is not None:
        return explain_refusal(texts, refusal)
    if problem is TargetProblem.PORT_NOT_ALLOWED:
        return texts.target_port_not_allowed.format(ports=", ".join(map(str, ROUTER_PORTS)))
    text: str = getattr(texts, f"target_{problem.value}")
    return text
