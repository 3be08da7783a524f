"""The one exception the command line turns into an error line and exit code 2."""


class CliError(Exception):
    """Bad input from the user: a missing file, a wrong shape, an unknown region or queue."""
