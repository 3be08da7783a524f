"""Fixtures shared by the integration tests: a local schedule server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from schedule_server import FixtureServer


@pytest.fixture
async def server() -> AsyncIterator[FixtureServer]:
    """A started FixtureServer on 127.0.0.1; released and closed after the test."""
    srv = FixtureServer()
    await srv.test_server.start_server()
    yield srv
    srv.release.set()
    await srv.test_server.close()
