"""Command line: ``esvitlo regions | schedule | replay | run | bench | db | lookup``.

Parses flags and calls the domain, the services or the app; never imports aiogram, and
turns every bad input into one error line on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from esvitlo.cli.errors import CliError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree."""
    from esvitlo.cli import backup, bench, commands, db_stats, lookup, migrate_data, monitor

    parser = _Parser(prog="esvitlo", description="eSvitlo monitor")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    regions = sub.add_parser("regions", help="list regions and their sources")
    regions.add_argument("--json", action="store_true", help="print JSON")
    regions.set_defaults(handler=commands.regions)

    schedule = sub.add_parser(
        "schedule",
        help="print a queue's schedule",
        usage="esvitlo schedule REGION QUEUE | esvitlo schedule --file PATH QUEUE [options]",
    )
    schedule.add_argument("args", nargs="+", metavar="REGION QUEUE", help="region and queue")
    schedule.add_argument("--file", help="read a saved schedule document instead of fetching")
    schedule.add_argument("--region", help="region of the file (default: from the file)")
    schedule.add_argument("--now", help="the moment to judge freshness at (ISO 8601)")
    schedule.add_argument("--json", action="store_true", help="print one JSON object")
    schedule.add_argument("--lang", choices=("uk", "en"), default="uk", help="text language")
    schedule.set_defaults(handler=commands.schedule)

    replay = sub.add_parser("replay", help="feed saved files through change detection")
    replay.add_argument("directory", metavar="DIR")
    replay.add_argument("queue", metavar="QUEUE")
    replay.add_argument("--region", help="region of the files (default: from the files)")
    replay.set_defaults(handler=commands.replay_command)

    migrate = sub.add_parser("migrate", help="apply database migrations (DATABASE_URL)")
    migrate.set_defaults(handler=commands.migrate)

    demo = sub.add_parser("demo", help="see the product with no token and no internet")
    demo.set_defaults(handler=lambda args: __import__("esvitlo.cli.demo").cli.demo.run_demo(args))

    run = sub.add_parser("run", help="run the service (embedded default)")
    run.set_defaults(handler=commands.run)

    bench.add_parser(sub)
    migrate_data.add_parser(sub)
    monitor.add_parser(sub)
    db_stats.add_parser(sub)
    backup.add_parser(sub)
    lookup.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``esvitlo`` command."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"esvitlo: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
