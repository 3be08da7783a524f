"""Service settings from the environment (and an optional .env file)."""

from __future__ import annotations

import os
import re
import secrets
import socket
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from esvitlo.domain.catalogue import Catalogue, parse_catalogue
from esvitlo.domain.crowd import CrowdRules
from esvitlo.domain.freshness import FreshnessPolicy
from esvitlo.domain.power import Debounce

# what Telegram accepts as a webhook's secret_token
WEBHOOK_SECRET_FORM = re.compile(r"[A-Za-z0-9_-]{1,256}")


def default_instance_id() -> str:
    """``host-pid-random``: unique among the instances of a deployment, readable in logs."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


def settings_error_line(exc: ValueError) -> str:
    """One line naming each bad setting and what is wrong, never the values given (they may
    hold tokens)."""
    if not isinstance(exc, ValidationError):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{where}: {message}" if where else message)
    return "; ".join(problems)


class Settings(BaseSettings):
    """Every knob of the service; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    regions_file: Path | None = Field(default=None, alias="ESVITLO_REGIONS_FILE")
    poll_interval: float = Field(default=300.0, gt=0, alias="ESVITLO_POLL_INTERVAL")
    poll_jitter: float = Field(default=0.1, ge=0, le=1, alias="ESVITLO_POLL_JITTER")
    fetch_timeout: float = Field(default=20.0, gt=0, alias="ESVITLO_FETCH_TIMEOUT")
    fetch_attempts: int = Field(default=3, ge=1, le=10, alias="ESVITLO_FETCH_ATTEMPTS")
    breaker_failures: int = Field(default=3, ge=1, alias="ESVITLO_BREAKER_FAILURES")
    breaker_reset: float = Field(default=600.0, gt=0, alias="ESVITLO_BREAKER_RESET")
    stale_fetch_hours: float = Field(default=3.0, gt=0, alias="ESVITLO_STALE_FETCH_HOURS")
    stale_data_hours: float = Field(default=48.0, gt=0, alias="ESVITLO_STALE_DATA_HOURS")
    bot_token: SecretStr | None = Field(default=None, alias="BOT_TOKEN")
    telegram_api_url: str | None = Field(default=None, alias="TELEGRAM_API_URL")
    admin_ids_text: str = Field(default="", alias="ADMIN_IDS")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    leader_ttl: float = Field(default=15.0, ge=1, le=300, alias="ESVITLO_LEADER_TTL")
    instance_id: str = Field(
        default_factory=default_instance_id, min_length=1, alias="ESVITLO_INSTANCE_ID"
    )
    bot_mode: Literal["polling", "webhook"] = Field(default="polling", alias="BOT_MODE")
    webhook_url: str | None = Field(default=None, alias="WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(default=None, alias="WEBHOOK_SECRET")
    http_host: str = Field(default="0.0.0.0", alias="HTTP_HOST")  # noqa: S104 - a server
    http_port: int = Field(default=8080, ge=0, le=65535, alias="HTTP_PORT")
    # seconds a client has for a request's headers (from connecting, or from the previous
    # answer on a kept-alive connection; also the idle keep-alive limit) and for its body
    http_read_timeout: float = Field(default=15.0, gt=0, le=600, alias="HTTP_READ_TIMEOUT")
    http_max_connections: int = Field(default=1000, ge=1, le=100_000, alias="HTTP_MAX_CONNECTIONS")
    # /metrics and /health/ready: a private listener (0 = any free port; 9464 is the port
    # of OpenTelemetry's Prometheus exporter, clear of 8080 and of the fake Bot API's 8081)
    metrics_host: str = Field(default="127.0.0.1", alias="METRICS_HOST")
    metrics_port: int = Field(default=9464, ge=0, le=65535, alias="METRICS_PORT")
    send_rate: float = Field(default=30.0, gt=0, le=1000, alias="ESVITLO_SEND_RATE")
    paid_broadcast: bool = Field(default=False, alias="ESVITLO_PAID_BROADCAST")
    send_attempts: int = Field(default=5, ge=1, le=20, alias="ESVITLO_SEND_ATTEMPTS")
    reminder_interval: float = Field(default=60.0, gt=0, alias="ESVITLO_REMINDER_INTERVAL")
    reminder_window_hours: float = Field(
        default=3.0, gt=0, le=48, alias="ESVITLO_REMINDER_WINDOW_HOURS"
    )
    max_subscriptions: int = Field(default=5, ge=1, le=50, alias="ESVITLO_MAX_ADDRESSES")
    max_monitors: int = Field(default=3, ge=0, le=50, alias="ESVITLO_MAX_MONITORS")
    # the base of the heartbeat URLs devices call; default: WEBHOOK_URL's scheme and host
    public_url: str | None = Field(default=None, alias="ESVITLO_PUBLIC_URL")
    # signs the /admin session cookies; default: a random key made once in the database
    admin_secret: SecretStr | None = Field(default=None, alias="ESVITLO_ADMIN_SECRET")
    # how often an open status page asks whether its schedule changed (seconds)
    page_refresh: float = Field(default=60.0, ge=0.2, le=3600, alias="ESVITLO_PAGE_REFRESH")
    # JSON API requests per client address a minute (in-process window; 0: no limit)
    api_rate_limit: int = Field(default=120, ge=0, le=1_000_000, alias="ESVITLO_API_RATE_LIMIT")
    # housekeeping: channel health checks and retention
    channel_check_interval: float = Field(
        default=3600.0, ge=60, alias="ESVITLO_CHANNEL_CHECK_INTERVAL"
    )
    retention_interval: float = Field(default=3600.0, ge=60, alias="ESVITLO_RETENTION_INTERVAL")
    outbox_retention_days: float = Field(default=7.0, gt=0, alias="ESVITLO_OUTBOX_RETENTION_DAYS")
    snapshot_retention_days: float = Field(
        default=30.0, gt=0, alias="ESVITLO_SNAPSHOT_RETENTION_DAYS"
    )
    conversation_ttl_hours: float = Field(
        default=24.0, gt=0, alias="ESVITLO_CONVERSATION_TTL_HOURS"
    )
    retention_batch_size: int = Field(
        default=1000, ge=1, le=100_000, alias="ESVITLO_RETENTION_BATCH_SIZE"
    )
    shutdown_timeout: float = Field(default=20.0, gt=0, alias="ESVITLO_SHUTDOWN_TIMEOUT")
    probe_interval: float = Field(default=30.0, ge=1, alias="ESVITLO_PROBE_INTERVAL")
    probe_timeout: float = Field(default=5.0, gt=0, le=60, alias="ESVITLO_PROBE_TIMEOUT")
    probe_concurrency: int = Field(default=1000, ge=1, le=10_000, alias="ESVITLO_PROBE_CONCURRENCY")
    power_off_after: int = Field(default=3, ge=1, le=20, alias="ESVITLO_POWER_OFF_AFTER")
    power_on_after: int = Field(default=2, ge=1, le=20, alias="ESVITLO_POWER_ON_AFTER")
    # the crowd signal per queue (issue 13); at least 3 users' monitors, always (privacy)
    crowd_interval: float = Field(default=30.0, ge=1, alias="ESVITLO_CROWD_INTERVAL")
    crowd_min_users: int = Field(default=3, ge=3, le=1000, alias="ESVITLO_CROWD_MIN_USERS")
    crowd_off_share: float = Field(default=0.5, gt=0, le=1, alias="ESVITLO_CROWD_OFF_SHARE")
    crowd_back_share: float = Field(default=0.5, gt=0, le=1, alias="ESVITLO_CROWD_BACK_SHARE")
    crowd_confirm: float = Field(default=120.0, ge=0, alias="ESVITLO_CROWD_CONFIRM")
    crowd_fresh: float = Field(default=600.0, gt=0, alias="ESVITLO_CROWD_FRESH")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # "auto": JSON lines unless stderr is a terminal
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto", alias="ESVITLO_LOG_FORMAT"
    )
    # the database drivers' statement logs (with parameters) at LOG_LEVEL; else WARNING only
    log_sql: bool = Field(default=False, alias="ESVITLO_LOG_SQL")
    # /health/ready fails when no region's check succeeded for this long (seconds)
    ready_max_check_age: float = Field(default=3600.0, gt=0, alias="ESVITLO_READY_MAX_CHECK_AGE")
    database_url: str = Field(default="sqlite+aiosqlite:///./data/esvitlo.db", alias="DATABASE_URL")

    @model_validator(mode="after")
    def _webhook_needs_url_and_secret(self) -> Settings:
        if self.bot_mode != "webhook":
            return self
        if not self.webhook_url or self.webhook_secret is None:
            raise ValueError("BOT_MODE=webhook needs WEBHOOK_URL and WEBHOOK_SECRET")
        if not WEBHOOK_SECRET_FORM.fullmatch(self.webhook_secret.get_secret_value()):
            raise ValueError(
                "WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - "
                "(an empty secret would let anyone post updates to the webhook)"
            )
        return self

    def catalogue(self) -> Catalogue:
        """The region catalogue: the configured file, or the one shipped in the package."""
        if self.regions_file is not None:
            text = self.regions_file.read_text(encoding="utf-8")
        else:
            text = resources.files("esvitlo").joinpath("data/regions.toml").read_text("utf-8")
        return parse_catalogue(text)

    def public_base_url(self) -> str:
        """Where devices reach this service: ESVITLO_PUBLIC_URL, else WEBHOOK_URL's scheme and
        host, else ``http://HTTP_HOST:HTTP_PORT``."""
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.webhook_url:
            parts = urlsplit(self.webhook_url)
            if parts.scheme and parts.netloc:
                return f"{parts.scheme}://{parts.netloc}"
        host = f"[{self.http_host}]" if ":" in self.http_host else self.http_host
        return f"http://{host}:{self.http_port}"

    def calendar_base_url(self) -> str | None:
        """The base of calendar links the bot hands out: set only when the service has a
        public address (ESVITLO_PUBLIC_URL or WEBHOOK_URL); None: not configured."""
        return self.public_base_url() if self.public_url or self.webhook_url else None

    def freshness(self) -> FreshnessPolicy:
        """When data counts as stale."""
        return FreshnessPolicy(
            max_fetch_age=timedelta(hours=self.stale_fetch_hours),
            max_data_age=timedelta(hours=self.stale_data_hours),
        )

    def debounce(self) -> Debounce:
        """How many observations in a row (probes, or a heartbeat's periods) confirm power
        going off and coming back."""
        return Debounce(off_after=self.power_off_after, on_after=self.power_on_after)

    def crowd_rules(self) -> CrowdRules:
        """The crowd signal's thresholds: how many users, what share, how long to confirm."""
        return CrowdRules(
            min_users=self.crowd_min_users,
            off_share=self.crowd_off_share,
            back_share=self.crowd_back_share,
            confirm=timedelta(seconds=self.crowd_confirm),
            fresh=timedelta(seconds=self.crowd_fresh),
        )

    @property
    def admin_ids(self) -> frozenset[int]:
        """Telegram ids from ``ADMIN_IDS`` (comma or space separated)."""
        parts = self.admin_ids_text.replace(",", " ").split()
        try:
            return frozenset(int(p) for p in parts)
        except ValueError:
            raise ValueError(
                f"ADMIN_IDS must be Telegram user ids, got {self.admin_ids_text!r}"
            ) from None
