"""The HTTP edge's settings: webhook mode needs a secret Telegram accepts, a bad setting is
one line that never repeats the values given, and inbound connections leave open files for
the rest of the process."""

from __future__ import annotations

import resource

import pytest
from pydantic import ValidationError

from esvitlo.app.process_limits import inbound_connection_cap, raise_open_files_limit
from esvitlo.settings import Settings, settings_error_line

TOKEN = "123456:AAE-very-secret-token"


def _webhook(secret: str | None) -> Settings:
    values = {"BOT_TOKEN": TOKEN, "BOT_MODE": "webhook", "WEBHOOK_URL": "https://bot.example/tg"}
    if secret is not None:
        values["WEBHOOK_SECRET"] = secret
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize("secret", ["", " ", "with space", "ключ", "a" * 257, "semi;colon"])
def test_webhook_mode_refuses_a_secret_telegram_would_not_take(secret: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _webhook(secret)
    line = settings_error_line(caught.value)
    assert "\n" not in line and line.startswith("WEBHOOK_SECRET must be 1 to 256 characters")
    assert TOKEN not in line and "https://bot.example" not in line


@pytest.mark.parametrize("secret", ["s3cret", "A-Z_a-z-0-9", "x" * 256])
def test_webhook_mode_takes_a_secret_of_telegrams_form(secret: str) -> None:
    assert _webhook(secret).webhook_secret is not None


def test_webhook_mode_without_a_secret_names_what_is_missing() -> None:
    with pytest.raises(ValidationError) as caught:
        _webhook(None)
    assert settings_error_line(caught.value) == (
        "BOT_MODE=webhook needs WEBHOOK_URL and WEBHOOK_SECRET"
    )


def test_polling_mode_ignores_an_empty_secret() -> None:
    settings = Settings(_env_file=None, BOT_TOKEN=TOKEN, WEBHOOK_SECRET="")  # type: ignore[call-arg]
    assert settings.bot_mode == "polling"


def test_a_bad_field_is_named_without_its_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, BOT_TOKEN=TOKEN, HTTP_MAX_CONNECTIONS=0)  # type: ignore[call-arg]
    assert settings_error_line(caught.value) == (
        "HTTP_MAX_CONNECTIONS: Input should be greater than or equal to 1"
    )


def test_the_edge_defaults() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.http_read_timeout, settings.http_max_connections) == (15.0, 1000)
    assert settings.metrics_host == "127.0.0.1"


@pytest.mark.parametrize(
    ("wanted", "open_files", "cap"),
    [(1000, 20000, 1000), (1000, 1024, 512), (1000, 2000, 1000), (50, 1, 1)],
)
def test_inbound_connections_take_at_most_half_the_open_files(
    wanted: int, open_files: int, cap: int
) -> None:
    assert inbound_connection_cap(wanted, open_files) == cap


def test_the_open_files_limit_is_raised_to_the_hard_one() -> None:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    soft = raise_open_files_limit()
    assert soft == resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert soft == hard or hard == resource.RLIM_INFINITY
