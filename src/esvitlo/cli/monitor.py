"""``esvitlo monitor check ADDRESS``: validate a monitor address as the bot does (ports a
router would use, names with a dot) and probe it once.

Exit codes: 0 the router answered, 1 silent or inconclusive, 2 an address we refuse to
probe (invalid, or a private / loopback / reserved address, also behind a name). What a
name resolves to is shown only as far as it is public: a refused address behind a name is
never printed (the report would tell what names inside the deployment lead to).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from esvitlo.cli.errors import CliError
from esvitlo.domain.addresses import (
    InvalidTarget,
    MonitorTarget,
    TargetProblem,
    check_router_port,
    parse_target,
)
from esvitlo.domain.probing import ProbeResult, ProbeVerdict, explain_problem
from esvitlo.domain.texts import PowerTexts, power_texts_for

if TYPE_CHECKING:
    from esvitlo.adapters.prober import NetworkProber

DEFAULT_TIMEOUT = 5.0


def add_parser(sub: Any) -> None:
    """Register ``monitor check``."""
    monitor = sub.add_parser("monitor", help="power monitors (router probes)")
    kinds = monitor.add_subparsers(dest="monitor", required=True, parser_class=sub._parser_class)
    check = kinds.add_parser("check", help="validate an address and probe it once")
    check.add_argument("address", metavar="ADDRESS", help="IP, name[:port] or http(s) URL")
    check.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds (5)")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--lang", choices=("uk", "en"), default="uk", help="text language")
    check.set_defaults(handler=run_check)


@dataclass(slots=True)
class CheckReport:
    """What ``monitor check`` found, for text or JSON output."""

    address: str
    exit_code: int
    target: MonitorTarget | None = None
    addresses: list[str] = field(default_factory=list)
    result: ProbeResult | None = None
    problem: str | None = None
    refusal: str | None = None
    explanation: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The report as one JSON-ready object."""
        result = self.result
        return {
            "address": self.address,
            "target": self.target.as_text() if self.target else None,
            "addresses": self.addresses,
            "verdict": result.verdict.value if result else "refused",
            "method": result.method if result else None,
            "detail": result.detail if result else None,
            "probed": result.address if result else None,
            "port": result.port if result else None,
            "elapsed_ms": result.elapsed_ms if result else None,
            "problem": self.problem,
            "refusal": self.refusal,
            "explanation": self.explanation,
            "exit_code": self.exit_code,
        }

    def lines(self, texts: PowerTexts) -> list[str]:
        """The report as lines for people, in the language of ``texts``."""
        rows = [(texts.check_target, self.target.display() if self.target else self.address)]
        if self.addresses:
            rows.append((texts.check_addresses, ", ".join(self.addresses)))
        if self.result is not None:
            rows.append((texts.check_result, verdict_words(texts, self.result)))
        width = max(len(label) for label, _ in rows) + 2
        lines = [f"{label + ':':<{width}}{value}" for label, value in rows]
        if self.result is not None and self.result.elapsed_ms:
            time = texts.check_time.format(ms=f"{self.result.elapsed_ms:.1f}")
            lines[-1] += f" · {time}"
        return lines


def verdict_words(texts: PowerTexts, result: ProbeResult) -> str:
    """A probe's verdict in plain words: answered (and how), no answer, or not checked."""
    if result.verdict is ProbeVerdict.ANSWERED:
        port = f" {result.port}" if result.port else ""
        return texts.check_answered.format(method=f"{result.method}{port}")
    if result.verdict is ProbeVerdict.SILENT:
        return texts.check_silent
    if result.detail == "dns_failed":
        return texts.check_dns_failed
    return texts.check_not_checked.format(detail=result.detail)


async def check_address(text: str, prober: NetworkProber, texts: PowerTexts) -> CheckReport:
    """Parse ``text``, then resolve it and probe it once with ``prober``."""
    from esvitlo.adapters.prober import ResolutionFailed

    try:
        target = check_router_port(parse_target(text))
    except InvalidTarget as exc:
        return CheckReport(
            text,
            2,
            problem=exc.reason.value,
            refusal=exc.refusal.value if exc.refusal else None,
            explanation=explain_problem(texts, exc.reason, exc.refusal),
        )
    report = CheckReport(text, 1, target=target)
    try:
        found = await prober.lookup(target.host)
    except ResolutionFailed:
        found = []
    report.addresses = [str(ip) for ip in found if prober.policy.refusal_of(ip) is None]
    result = report.result = await prober.probe(target)  # resolves and checks again
    if result.refusal is not None:  # only behind a name: refused literals fail to parse
        report.result = replace(result, address=None, refusal=None)
        report.exit_code = 2
        report.problem = TargetProblem.REFUSED.value
        report.explanation = texts.no_public_address
    elif result.verdict is ProbeVerdict.ANSWERED:
        report.exit_code = 0
    return report


def run_check(args: argparse.Namespace) -> int:
    """The ``monitor check`` handler: print the report; its exit code."""
    from esvitlo.adapters.prober import NetworkProber  # aiohttp only when asked for

    texts = power_texts_for(args.lang)

    async def go() -> CheckReport:
        prober = NetworkProber(timeout=args.timeout)
        try:
            return await check_address(args.address, prober, texts)
        finally:
            await prober.close()

    if not args.timeout > 0:
        raise CliError("--timeout must be positive")
    report = asyncio.run(go())
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return report.exit_code
    print("\n".join(report.lines(texts)))
    if report.exit_code == 2:
        print(f"esvitlo: error: {report.explanation}", file=sys.stderr)
    return report.exit_code
