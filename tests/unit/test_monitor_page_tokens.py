"""The secret of a monitor's page: derived from the monitor and a server key, bound to the
heartbeat secret's hash, unforgeable without the key and never the heartbeat secret."""

from __future__ import annotations

import pytest

from esvitlo.domain.monitor_pages import (
    MAC_CHARS,
    page_path,
    page_token,
    token_matches,
    token_monitor_id,
)
from esvitlo.domain.monitors import hash_secret

KEY = bytes(range(32))
HEARTBEAT = "h" * 32


def test_a_token_names_its_monitor_and_matches_only_it() -> None:
    token = page_token(KEY, 42, hash_secret(HEARTBEAT))
    assert token_monitor_id(token) == 42
    assert token_matches(KEY, token, 42, hash_secret(HEARTBEAT))
    assert not token_matches(KEY, token, 43, hash_secret(HEARTBEAT))
    assert page_path(token) == f"/m/{token}"


def test_the_token_reveals_nothing_of_the_heartbeat_secret() -> None:
    token = page_token(KEY, 42, hash_secret(HEARTBEAT))
    assert HEARTBEAT not in token and hash_secret(HEARTBEAT)[:MAC_CHARS] not in token
    assert not token_matches(KEY, HEARTBEAT, 42, hash_secret(HEARTBEAT))


def test_a_new_heartbeat_secret_or_a_new_key_retires_the_link() -> None:
    token = page_token(KEY, 42, hash_secret(HEARTBEAT))
    assert not token_matches(KEY, token, 42, hash_secret("n" * 32))
    assert not token_matches(bytes(32), token, 42, hash_secret(HEARTBEAT))


def test_a_probe_monitor_without_a_secret_has_a_stable_link() -> None:
    assert page_token(KEY, 7, None) == page_token(KEY, 7, None)
    assert token_matches(KEY, page_token(KEY, 7, None), 7, None)


@pytest.mark.parametrize(
    "token",
    ["", "42", "42.", "0.aaaaaaaaaaaaaaaaaaaaaa", "-1.aaaaaaaaaaaaaaaaaaaaaa", "42.short",
     "42.aaaaaaaaaaaaaaaaaaaaaa.png", "x.aaaaaaaaaaaaaaaaaaaaaa", "42.aaaaaaaaaaaaaaaaaaaa!!"],
)  # fmt: skip
def test_malformed_tokens_name_no_monitor(token: str) -> None:
    assert token_monitor_id(token) is None
