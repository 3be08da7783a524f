"""The secret of a monitor's read-only page (``/m/<token>``), derived, never stored.

The heartbeat secret cannot serve here: whoever holds a page link must not be able to forge
heartbeats, and that secret is only kept hashed anyway. A new table column would need a
migration, so the page token is derived instead: ``<monitor id>.<MAC>``, where the MAC is an
HMAC-SHA256 under a server-side key (kept in the database beside the other service-wide
values, so every instance derives the same link) over the monitor's id and its heartbeat
secret's hash. Consequences, all wanted: the link cannot be guessed or forged without the
key; it reveals nothing of the heartbeat secret; making a new heartbeat link also retires
the old page link (the hash changes); a probe monitor, having no secret, keeps its page link
until the key is replaced, which retires every page link at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

MAC_CHARS = 22  # 132 bits of the MAC, base64url
_TOKEN = re.compile(rf"([1-9][0-9]{{0,18}})\.([A-Za-z0-9_-]{{{MAC_CHARS}}})")
PAGE_PREFIX = "/m/"


def _mac(key: bytes, monitor_id: int, secret_hash: str | None) -> str:
    message = f"monitor-page:{monitor_id}:{secret_hash or ''}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:MAC_CHARS]


def page_token(key: bytes, monitor_id: int, secret_hash: str | None) -> str:
    """The token of a monitor's page: its id and a MAC binding it to the current secret."""
    return f"{monitor_id}.{_mac(key, monitor_id, secret_hash)}"


def token_monitor_id(token: str) -> int | None:
    """The monitor id a well-formed token names (not yet checked), or None."""
    found = _TOKEN.fullmatch(token)
    return int(found.group(1)) if found else None


def token_matches(key: bytes, token: str, monitor_id: int, secret_hash: str | None) -> bool:
    """Whether ``token`` is this monitor's current page token (compared in constant time)."""
    return hmac.compare_digest(token, page_token(key, monitor_id, secret_hash))


def page_path(token: str) -> str:
    """The page's path on the public listener."""
    return f"{PAGE_PREFIX}{token}"
