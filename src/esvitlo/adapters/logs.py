"""Logging through structlog: JSON lines for machines, colourless console lines for a terminal.

Every stdlib ``logger.info("schedule.changed region=%s queue=%s", ...)`` call becomes one
event: ``event`` is the first word, each ``key=%s`` placeholder a field with its argument's
value (spaces included). Fields bound with ``structlog.contextvars`` (instance, region, chat,
...) and the asyncio task's name are added; anything shaped like a Telegram bot token or a
heartbeat path (``/hb/<secret>``) is replaced before a line is written. The database
drivers' statement logs (``sqlalchemy.engine``, ``aiosqlite``, ``asyncpg``) stay at WARNING
unless asked for: at DEBUG they would print every statement with its parameters.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any, Literal, TextIO

import structlog
from structlog.types import EventDict, Processor

LogFormat = Literal["auto", "json", "console"]

TOKEN_PATTERN = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
# secret paths: heartbeats, private calendars, a monitor in the API, a monitor's page, an
# admin's one-time login link
HEARTBEAT_PATH = re.compile(r"(/hb/|/calendar/u/|/api/v1/monitors/|/m/|/admin/login/)[^\s/?#\"']+")
SVITLOBOT_KEY = re.compile(r"(channel_key=)[^\s&#\"']+")  # /channelPing?channel_key=<secret>
REDACTED = "[REDACTED]"
SQL_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")
"""Loggers that print SQL statements, their parameters or rows at INFO and DEBUG."""
_PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z]")
_KEY_BEFORE = re.compile(r"(\w+)=$")
_EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")
_KEY_VALUE = re.compile(r"(\w+)=(\S+)")
_HANDLER_NAME = "esvitlo-structlog"


def _formatted(spec: str, arg: Any) -> Any:
    """One placeholder's value: numbers and booleans stay numbers, the rest becomes text."""
    if spec[-1] in "di" and isinstance(arg, int | float):
        return int(arg)
    if spec[-1] == "s" and (arg is None or isinstance(arg, bool | int | float)):
        return arg
    return spec % (arg,)


def template_fields(template: str, args: tuple[Any, ...]) -> dict[str, Any] | None:
    """Fields of a ``"event k=%s k2=%d"`` template with its arguments; None when they disagree."""
    found: dict[str, Any] = {}
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        spec = match.group()
        if spec == "%%":
            continue
        if position >= len(args) or "(" in spec or "*" in spec:
            return None
        key = _KEY_BEFORE.search(template, 0, match.start())
        if key is not None and key.end() == match.start():
            found[key.group(1)] = _formatted(spec, args[position])
        position += 1
    return found if position == len(args) else None


def event_fields(event_dict: EventDict) -> EventDict:
    """Split a stdlib message into its event name and ``key=value`` fields (a structlog processor).

    Fields come from the template and its arguments when they match (exact values), else from
    the formatted text (``key=value`` without spaces). Fields already present are kept.
    """
    args = event_dict.pop("positional_args", None)
    message = event_dict.get("event")
    if not isinstance(message, str):
        return event_dict
    name, _, rest = message.partition(" ")
    if not _EVENT_NAME.match(name):
        return event_dict
    record = event_dict.get("_record")
    fields: Mapping[str, Any] | None = None
    if isinstance(record, logging.LogRecord) and isinstance(args, tuple):
        fields = template_fields(str(record.msg), args)
    if fields is None:
        fields = dict(_KEY_VALUE.findall(rest))
    event_dict["event"] = name
    for key, value in fields.items():
        event_dict.setdefault(key, value)
    return event_dict


def add_task_name(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    """Add the running asyncio task's name as ``task`` unless one is bound."""
    if "task" not in event_dict:
        try:
            task = asyncio.current_task()
        except RuntimeError:  # no running loop
            task = None
        if task is not None:
            event_dict["task"] = task.get_name()
    return event_dict


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secrets, anything shaped like a bot token and the secret of
    every heartbeat path replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = HEARTBEAT_PATH.sub(rf"\g<1>{REDACTED}", text)
    text = SVITLOBOT_KEY.sub(rf"\g<1>{REDACTED}", text)
    return TOKEN_PATTERN.sub(REDACTED, text)


def set_sql_logging(level: str | int, log_sql: bool) -> None:
    """Put the SQL loggers at ``level`` when ``log_sql``, else at WARNING (SQLAlchemy keeps its
    own at WARNING anyway; aiosqlite would print every statement's parameters at DEBUG)."""
    for name in SQL_LOGGERS:
        logging.getLogger(name).setLevel(level if log_sql else logging.WARNING)


class SecretRedactor:
    """A structlog processor replacing secrets in every text value of an event."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = tuple(s for s in secrets if s)

    def __call__(self, _logger: Any, _method: str, event_dict: EventDict) -> EventDict:
        for key, value in event_dict.items():
            if isinstance(value, bool | int | float | None):
                continue
            text = value if isinstance(value, str) else str(value)
            cleaned = redact(text, self._secrets)
            if cleaned != text:
                event_dict[key] = cleaned
        return event_dict


def _stdlib_event_fields(_logger: Any, _method: str, event_dict: EventDict) -> EventDict:
    return event_fields(event_dict)


def _shared_chain(plain: bool) -> list[Processor]:
    chain: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        add_task_name,
    ]
    if not plain:
        chain.append(structlog.processors.TimeStamper(fmt="iso", utc=True))
    return chain


def _renderer(json_lines: bool, colors: bool) -> Processor:
    if json_lines:
        return structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    return structlog.dev.ConsoleRenderer(colors=colors, exception_formatter=lambda *_: None)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(callable(isatty) and isatty())


def wants_json(fmt: LogFormat, stream: TextIO) -> bool:
    """JSON unless asked for the console, or "auto" and ``stream`` is a terminal."""
    if fmt == "auto":
        return not _is_terminal(stream)
    return fmt == "json"


def configure_logging(
    level: str = "INFO",
    *,
    fmt: LogFormat = "auto",
    plain: bool = False,
    stream: TextIO | None = None,
    secrets: Iterable[str] = (),
    log_sql: bool = False,
) -> None:
    """Send every log record (stdlib and structlog) through one handler on ``stream`` (stderr).

    ``plain`` leaves out the time stamp (command-line use); ``log_sql`` lets the database
    drivers log statements at the root level (they stay at WARNING otherwise). Calling it
    again replaces the handler it installed before.
    """
    out = stream if stream is not None else sys.stderr
    shared = [*_shared_chain(plain), _stdlib_event_fields]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        pass_foreign_args=True,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            SecretRedactor(secrets),
            _renderer(wants_json(fmt, out), colors=_is_terminal(out)),
        ],
    )
    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    set_sql_logging(level.upper(), log_sql)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def bind_log_context(**fields: object) -> None:
    """Add ``fields`` to every event logged from this context and the tasks it starts."""
    structlog.contextvars.bind_contextvars(**fields)


def log_context() -> MutableMapping[str, Any]:
    """The fields bound in this context."""
    return structlog.contextvars.get_contextvars()
