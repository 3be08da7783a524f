"""Logs: stdlib calls become JSON events with fields, context is added, secrets never show."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
import structlog

from esvitlo.adapters.logs import (
    REDACTED,
    bind_log_context,
    configure_logging,
    redact,
    template_fields,
    wants_json,
)

TOKEN = "123456789:AAEabcdefghijklmnopqrstuvwxyz0123456"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Take out the handler configure_logging installs and the level it sets, afterwards."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if h.get_name() == "esvitlo-structlog"]:
        root.removeHandler(handler)
    root.setLevel(level)
    structlog.contextvars.clear_contextvars()


@pytest.fixture
def out(restore_logging: None) -> io.StringIO:
    """JSON log lines of the whole process, collected in memory."""
    stream = io.StringIO()
    configure_logging("DEBUG", fmt="json", stream=stream, secrets=["s3cr3t-webhook"])
    return stream


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_stdlib_call_becomes_an_event_with_typed_fields(out: io.StringIO) -> None:
    logging.getLogger("esvitlo.services.schedule_watch").info(
        "schedule.changed region=%s queue=%s diff=%s count=%d ok=%s",
        *("kyiv", "3.1", "+08:00-10:00 -12:00-13:00", 2, True),
    )
    (line,) = lines(out)
    assert line["event"] == "schedule.changed"
    assert line["region"] == "kyiv"
    assert line["queue"] == "3.1"
    assert line["diff"] == "+08:00-10:00 -12:00-13:00"  # spaces kept: read from the template
    assert line["count"] == 2
    assert line["ok"] is True
    assert line["level"] == "info"
    assert line["logger"] == "esvitlo.services.schedule_watch"
    assert isinstance(line["timestamp"], str) and line["timestamp"].endswith("Z")


def test_context_and_task_name_are_added(out: io.StringIO) -> None:
    async def region_task() -> None:
        bind_log_context(region="dnipro")
        logging.getLogger("esvitlo").warning("schedule.check_failed error=%s", "timeout")

    async def main() -> None:
        bind_log_context(instance="host-a:1")
        await asyncio.create_task(region_task(), name="schedule-watch:dnipro")
        logging.getLogger("esvitlo").info("app.started regions=%d", 2)

    asyncio.run(main())
    failed, started = [line for line in lines(out) if line["logger"] == "esvitlo"]
    assert failed["instance"] == "host-a:1"
    assert failed["region"] == "dnipro"
    assert failed["task"] == "schedule-watch:dnipro"
    assert failed["error"] == "timeout"
    assert started["instance"] == "host-a:1"
    assert "region" not in started  # bound in the child task only


def test_messages_that_are_no_events_stay_whole(out: io.StringIO) -> None:
    logging.getLogger("aiogram.dispatcher").info("Start polling for bot @%s", "esvitlo_bot")
    (line,) = lines(out)
    assert line["event"] == "Start polling for bot @esvitlo_bot"


def test_exceptions_are_one_field(out: io.StringIO) -> None:
    try:
        raise ValueError("bad row")
    except ValueError:
        logging.getLogger("esvitlo").exception("delivery.unexpected id=%d", 7)
    (line,) = lines(out)
    assert line["id"] == 7
    assert "ValueError: bad row" in str(line["exception"])


def test_bot_tokens_and_secrets_never_reach_the_log(out: io.StringIO) -> None:
    log = logging.getLogger("aiohttp.client")
    log.info("POST https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.info("webhook.set secret=%s url=%s", "s3cr3t-webhook", f"https://x/{TOKEN}")
    structlog.get_logger("esvitlo").info("bot.session", token=TOKEN, nested={"t": TOKEN})
    try:
        raise RuntimeError(f"Unauthorized for /bot{TOKEN}/getMe")
    except RuntimeError:
        log.exception("telegram.failed")
    text = out.getvalue()
    assert TOKEN not in text
    assert TOKEN.split(":")[1] not in text
    assert "s3cr3t-webhook" not in text
    assert text.count(REDACTED) >= 6
    assert len(lines(out)) == 4


def test_structlog_loggers_share_the_output(out: io.StringIO) -> None:
    structlog.get_logger("esvitlo.power").info("power.changed", monitor=3, state="off")
    (line,) = lines(out)
    assert (line["event"], line["monitor"], line["state"]) == ("power.changed", 3, "off")


def test_console_lines_on_a_terminal(restore_logging: None) -> None:
    terminal = _Terminal()
    assert wants_json("auto", terminal) is False
    assert wants_json("auto", io.StringIO()) is True
    assert wants_json("json", terminal) is True
    assert wants_json("console", io.StringIO()) is False
    configure_logging("INFO", fmt="auto", stream=terminal, plain=True)
    logging.getLogger("esvitlo").info("schedule.checked region=%s", "kyiv")
    text = re.sub(r"\x1b\[[0-9;]*m", "", terminal.getvalue())  # colours on a terminal
    assert "schedule.checked" in text and "region=kyiv" in text
    assert not text.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("template", "args", "expected"),
    [
        ("a.b x=%s y=%d", ("1", 2), {"x": "1", "y": 2}),
        ("a.b x=%r", ("q",), {"x": "'q'"}),
        ("a.b 100%% x=%s", ("v",), {"x": "v"}),
        ("a.b %s x=%s", ("free", "v"), {"x": "v"}),
        ("a.b x=%s", (), None),  # arguments missing: fall back to the text
        ("a.b x=%s", ("1", "2"), None),
        ("a.b delay_s=%.1f", (2.25,), {"delay_s": "2.2"}),
    ],
)
def test_template_fields(
    template: str, args: tuple[object, ...], expected: dict[str, object] | None
) -> None:
    assert template_fields(template, args) == expected


def test_redact_pattern() -> None:
    assert redact(f"url /bot{TOKEN}/x") == f"url /bot{REDACTED}/x"
    assert redact("at 12:30 region=kyiv") == "at 12:30 region=kyiv"
    assert redact("pw=hunter2", ["hunter2"]) == f"pw={REDACTED}"


def test_secret_paths_are_redacted() -> None:
    for path in ("/hb/", "/calendar/u/", "/api/v1/monitors/", "/m/", "/admin/login/"):
        assert redact(f"GET {path}s3cr3t_X-1.ics?lang=en") == f"GET {path}{REDACTED}?lang=en"
    assert redact("GET /calendar/kyiv/3.1.ics") == "GET /calendar/kyiv/3.1.ics"
