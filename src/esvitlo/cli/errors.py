"""The one exception the command line turns into an error line and exit code 2."""


class CliError(Exception):
    """Bad input from the user: a missing file, a wrong shape, an unknown region or queue."""

    exit_code = 2


class SourcesDown(CliError):
    """No source of a region could be fetched (exit code 1: not the user's fault)."""

    exit_code = 1
