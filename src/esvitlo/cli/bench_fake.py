"""The fake Telegram of ``bench fanout``, in a process of its own so it never slows the sender.

``python -m esvitlo.cli.bench_fake [--port N] [--no-limits]`` prints its base URL on the
first line and serves until SIGTERM. Instead of the fake's call log (every call kept, which a
100,000-message run would fill memory with) it counts answers by method and status, and adds
two routes to the control API: ``POST /_bench/people`` (``{"first": id, "count": n}``: that
many people with consecutive ids) and ``GET /_bench/tally`` (answer counts; with
``first`` and ``count``, how many of those people got no message and how many got a message
more than once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aiohttp import web

from esvitlo.testing.fake_telegram import FakeTelegram, Limits
from esvitlo.testing.fake_telegram.params import Params


class CountingFake(FakeTelegram):
    """A FakeTelegram that counts its answers instead of recording every call."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.answers: Counter[tuple[str, int]] = Counter()

    def _record(
        self, method: str, params: Params, status: int, description: str | None, result: Any
    ) -> None:
        self.answers[(method.lower(), status)] += 1

    def make_app(self) -> web.Application:
        """The fake's application plus the two bench routes."""
        app = super().make_app()
        app.router.add_post("/_bench/people", self._people)
        app.router.add_get("/_bench/tally", self._tally)
        return app

    async def _people(self, request: web.Request) -> web.Response:
        body = await request.json()
        first, count = int(body["first"]), int(body["count"])
        for user_id in range(first, first + count):
            if user_id not in self.world.users:
                self.create_user(f"User {user_id}", user_id=user_id)
        return web.json_response({"ok": True, "result": count})

    async def _tally(self, request: web.Request) -> web.Response:
        sends = ("sendmessage", "sendphoto")  # an alert is a photo; an old one a text
        sent = sum(self.answers[(method, 200)] for method in sends)
        refused = sum(n for (m, s), n in self.answers.items() if m in sends and s != 200)
        result: dict[str, int] = {
            "sent": sent,
            "errors_429": sum(self.answers[(method, 429)] for method in sends),
            "refused": refused,
        }
        if "first" in request.query:
            first, count = int(request.query["first"]), int(request.query["count"])
            chats = self.world.chats
            received = [
                len(chats[c].messages) if c in chats else 0 for c in range(first, first + count)
            ]
            result["lost"] = sum(1 for n in received if n == 0)
            result["duplicates"] = sum(n - 1 for n in received if n > 1)
        return web.json_response({"ok": True, "result": result})


async def _serve(args: argparse.Namespace) -> None:
    # With 100,000 chats and their messages, a full collection takes 100 ms and more: the
    # answers bunched behind it look like a flood to the fake's own limits. It lives for
    # minutes, so it does without the collector.
    gc.disable()
    fake = CountingFake(limits=Limits(enabled=not args.no_limits), port=args.port)
    print(await fake.start(), flush=True)
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
    """Serve the counting fake until SIGINT or SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m esvitlo.cli.bench_fake")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument("--no-limits", action="store_true", help="never answer 429")
    asyncio.run(_serve(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
