"""The admin dashboard's cookies and CSRF tokens: signed, expiring, bound to one session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from esvitlo.domain.admin_sessions import (
    AdminSession,
    csrf_token,
    csrf_valid,
    read_session,
    sign_session,
    token_hash,
)

KEY = b"k" * 32
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
SESSION = AdminSession(42, NOW + timedelta(hours=1))


def test_a_signed_session_reads_back_until_it_expires():
    cookie = sign_session(KEY, SESSION)
    assert read_session(KEY, cookie, NOW) == SESSION
    assert read_session(KEY, cookie, NOW + timedelta(hours=1)) is None


def test_a_forged_changed_or_foreign_cookie_is_refused():
    cookie = sign_session(KEY, SESSION)
    other_admin = cookie.replace("42.", "43.", 1)
    longer = sign_session(KEY, AdminSession(42, NOW + timedelta(days=9))).rsplit(".", 1)[0]
    for bad in (
        other_admin,
        longer + "." + cookie.rsplit(".", 1)[1],
        cookie[:-1] + ("0" if cookie[-1] != "0" else "1"),
        "",
        None,
        "garbage",
        "a.b.c",
    ):
        assert read_session(KEY, bad, NOW) is None, bad
    assert read_session(b"another key", cookie, NOW) is None


def test_csrf_tokens_belong_to_one_session_and_key():
    cookie = sign_session(KEY, SESSION)
    other = sign_session(KEY, AdminSession(7, SESSION.expires_at))
    token = csrf_token(KEY, cookie)
    assert csrf_valid(KEY, cookie, token)
    assert not csrf_valid(KEY, other, token)
    assert not csrf_valid(b"another key", cookie, token)
    assert not csrf_valid(KEY, cookie, None) and not csrf_valid(KEY, cookie, "")


def test_only_the_token_hash_is_stored():
    assert token_hash("secret") != "secret" and len(token_hash("secret")) == 64
    assert token_hash("secret") == token_hash("secret") != token_hash("secreT")
