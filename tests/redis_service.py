"""The test Redis (ESVITLO_TEST_REDIS_URL, db 15 by default): skipped when unreachable, or
failed when ESVITLO_REQUIRE_SERVICES=1; each test works in a namespace of its own."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from redis.asyncio import Redis

from instance_cluster import PrivateRedis

REDIS_URL = os.environ.get("ESVITLO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def require_redis() -> str:
    """The test Redis URL once it answers; skip (or fail, in CI) when it does not."""
    client = Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(client.ping(), timeout=3)
    except Exception as exc:
        reason = f"Redis at {REDIS_URL} is unreachable ({type(exc).__name__}: {exc})"
        if os.environ.get("ESVITLO_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}; ESVITLO_REQUIRE_SERVICES=1 requires it", pytrace=False)
        pytest.skip(f"{reason}; set ESVITLO_TEST_REDIS_URL")
    finally:
        await client.aclose()
    return REDIS_URL


def new_namespace() -> str:
    """A key prefix no other test uses."""
    return f"esvitlo-test-{uuid.uuid4().hex[:12]}"


async def drop_namespace(url: str, namespace: str) -> None:
    """Delete every key under ``namespace``."""
    client = Redis.from_url(url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{namespace}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@asynccontextmanager
async def private_redis(directory: Path) -> AsyncIterator[PrivateRedis]:
    """A redis-server of the caller's own, which it may stop and start again (empty)."""
    server = PrivateRedis(directory)
    try:
        await server.start()
        yield server
    finally:
        await server.stop()
