"""The standalone fake Telegram: options, serving until SIGINT or SIGTERM, exit codes."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    from .server import DEFAULT_TOKEN

    parser = argparse.ArgumentParser(
        prog="python -m esvitlo.testing.fake_telegram",
        description="A fake Telegram Bot API server for local runs and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8081, help="port (0: any free port)")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the one bot token it accepts")
    parser.add_argument("--username", default="esvitlo_test_bot", help="the bot's username")
    parser.add_argument("--no-limits", action="store_true", help="never answer 429")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    from .limits import Limits
    from .server import FakeTelegram

    limits = Limits(enabled=not args.no_limits)
    fake = FakeTelegram(
        args.token, username=args.username, limits=limits, host=args.host, port=args.port
    )
    base_url = await fake.start()
    print(
        f"fake telegram: {base_url} token={fake.token} control={base_url}/_control/state",
        flush=True,
    )
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stopped.set)
    try:
        await stopped.wait()
    finally:
        await fake.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parses the options, serves until SIGINT or SIGTERM, and returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except OSError as error:
        print(f"fake telegram: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    return 0
