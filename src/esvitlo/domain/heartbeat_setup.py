"""What a user pastes into a device at home so it calls its heartbeat URL: the URL itself and
ready-made snippets for curl/cron, MikroTik, Home Assistant and an ESP32 (Arduino).

Snippets are code, the same in every language; they are returned unescaped (the caller
escapes them into ``<pre>`` blocks). ``is_local_base`` tells whether the public base URL
can only be reached from this machine or its network, so devices outside cannot call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from ipaddress import ip_address
from urllib.parse import urlsplit

from esvitlo.domain.addresses import refusal_of

LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".lan", ".internal", ".home.arpa")


def heartbeat_url(base: str, secret: str) -> str:
    """``{base}/hb/{secret}`` with exactly one slash between them."""
    return f"{base.rstrip('/')}/hb/{secret}"


def svitlobot_url(heartbeat: str) -> tuple[str, str] | None:
    """The Svitlobot-compatible form of a heartbeat URL and its key:
    ``{base}/channelPing?channel_key={secret}``; None when ``heartbeat`` is not one."""
    base, sep, secret = heartbeat.rpartition("/hb/")
    if not sep or not secret:
        return None
    return f"{base}/channelPing?channel_key={secret}", secret


def is_local_base(base: str) -> bool:
    """Whether ``base``'s host is a local name or a private, loopback or unspecified address."""
    try:
        host = (urlsplit(base).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if not host or host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return "." not in host  # a bare name like "esvitlo" only resolves inside a network
    return refusal_of(address) is not None


@dataclass(frozen=True, slots=True)
class Snippet:
    """One ready-to-paste snippet: which device it is for, and its code."""

    kind: str  # "curl" | "mikrotik" | "home_assistant" | "esp32"
    code: str


def _curl(url: str, seconds: int) -> str:
    if seconds % 60 == 0 and seconds <= 3600:
        minutes = seconds // 60
        schedule = "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
        return f"{schedule} curl -fsS -m 10 {url} >/dev/null"
    return f"while true; do curl -fsS -m 10 {url} >/dev/null; sleep {seconds}; done"


def _mikrotik(url: str, seconds: int) -> str:
    return (
        f"/system scheduler add name=esvitlo-heartbeat interval={seconds}s "
        f'on-event="/tool fetch url=\\"{url}\\" keep-result=no"'
    )


def _home_assistant(url: str, seconds: int) -> str:
    every = f'"/{seconds}"' if seconds < 60 else f'"/{seconds // 60}"'
    pattern = "seconds" if seconds < 60 else "minutes"
    return (
        "rest_command:\n"
        "  esvitlo_heartbeat:\n"
        f'    url: "{url}"\n'
        "    method: post\n"
        "\n"
        "automation:\n"
        "  - alias: eSvitlo heartbeat\n"
        "    trigger:\n"
        "      - platform: time_pattern\n"
        f"        {pattern}: {every}\n"
        "    action:\n"
        "      - service: rest_command.esvitlo_heartbeat"
    )


def _esp32(url: str, seconds: int) -> str:
    tls = url.startswith("https://")
    client = ["WiFiClientSecure tls;", "tls.setInsecure();  // or setCACert(...)"] if tls else []
    begin = f'http.begin(tls, "{url}");' if tls else f'http.begin("{url}");'
    lines = [
        "#include <WiFi.h>",
        "#include <HTTPClient.h>",
        *(["#include <WiFiClientSecure.h>"] if tls else []),
        "",
        "// in loop(), once WiFi is connected:",
        *client,
        "HTTPClient http;",
        begin,
        "http.GET();",
        "http.end();",
        f"delay({seconds * 1000});",
    ]
    return "\n".join(lines)


def heartbeat_snippets(url: str, every: timedelta) -> tuple[Snippet, ...]:
    """Snippets calling ``url`` every ``every`` (whole seconds; minutes where cron needs it)."""
    seconds = max(1, int(every.total_seconds()))
    return (
        Snippet("curl", _curl(url, seconds)),
        Snippet("mikrotik", _mikrotik(url, seconds)),
        Snippet("home_assistant", _home_assistant(url, seconds)),
        Snippet("esp32", _esp32(url, seconds)),
    )
