"""What one probe of a monitor found, and the plain-words reasons an address is refused."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from esvitlo.domain.addresses import AddressRefusal, TargetProblem
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
    """Why a typed monitor address was not accepted (a refused IP literal says which kind)."""
    if problem is TargetProblem.REFUSED and refusal is not None:
        return explain_refusal(texts, refusal)
    text: str = getattr(texts, f"target_{problem.value}")
    return text


def explain_resolved_refusal(
    texts: PowerTexts, host: str, address: str, refusal: AddressRefusal
) -> str:
    """Why a host name is refused: the address it leads to and what kind that is.

    ``host`` and ``address`` are put in as given: escape them first for HTML.
    """
    reason = explain_refusal(texts, refusal)
    return texts.name_leads_to_refused.format(host=host, address=address, reason=reason)
