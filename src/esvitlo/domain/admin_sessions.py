"""The admin dashboard's login links, session cookies and CSRF tokens, as pure functions.

A login link carries a random token; only its SHA-256 is stored (a leaked database row
cannot log anybody in). The session cookie is ``<telegram id>.<expiry unix time>.<HMAC>``
signed with a key every instance shares (stored in the database, or ESVITLO_ADMIN_SECRET),
so any instance validates it without a lookup. The CSRF token is another HMAC of the same
session under a different label: each session has its own, and a form posted from elsewhere
cannot know it.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

LOGIN_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
COOKIE_NAME = "esvitlo_admin"


def token_hash(token: str) -> str:
    """What is stored of a login token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AdminSession:
    """A signed-in admin: who, and until when the cookie holds."""

    telegram_id: int
    expires_at: datetime


def _mac(key: bytes, label: str, message: str) -> str:
    return hmac.new(key, f"{label}|{message}".encode(), hashlib.sha256).hexdigest()


def sign_session(key: bytes, session: AdminSession) -> str:
    """The cookie value for ``session``."""
    body = f"{session.telegram_id}.{int(session.expires_at.timestamp())}"
    return f"{body}.{_mac(key, 'session', body)}"


def read_session(key: bytes, cookie: str | None, now: datetime) -> AdminSession | None:
    """The session a cookie holds, or None when it is missing, forged, malformed or expired."""
    if not cookie:
        return None
    body, _, mac = cookie.rpartition(".")
    if not hmac.compare_digest(mac, _mac(key, "session", body)):
        return None
    telegram_id, _, expires = body.partition(".")
    try:
        session = AdminSession(int(telegram_id), datetime.fromtimestamp(int(expires), UTC))
    except ValueError:
        return None
    return session if session.expires_at > now else None


def csrf_token(key: bytes, cookie: str) -> str:
    """The token a form of this session must send back."""
    return _mac(key, "csrf", cookie)


def csrf_valid(key: bytes, cookie: str, sent: str | None) -> bool:
    """Whether a posted form carries this session's token."""
    return sent is not None and hmac.compare_digest(sent, csrf_token(key, cookie))
