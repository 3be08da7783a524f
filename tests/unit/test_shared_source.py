"""The shared source: one upstream fetch serves every instance while the copy is kept."""

from __future__ import annotations

from esvitlo.adapters.memory_coordinator import MemorySourceCache
from esvitlo.adapters.shared_source import SharedScheduleSource
from esvitlo.ports import Fetched

from step_clock import StepClock

URL = "https://feed.example/kyiv.json"


class Upstream:
    """ports.ScheduleSource serving a body with an ETag, 304 when the caller has it."""

    def __init__(self) -> None:
        self.calls: list[str | None] = []
        self.body, self.etag = b"v1", '"1"'

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        self.calls.append(etag)
        if etag == self.etag:
            return Fetched(None, etag)
        return Fetched(self.body, self.etag)


async def test_instances_share_one_upstream_fetch_while_the_copy_lasts() -> None:
    clock, upstream = StepClock(), Upstream()
    cache = MemorySourceCache(clock)
    leader = SharedScheduleSource(upstream, cache, ttl=60)
    follower = SharedScheduleSource(upstream, cache, ttl=60)
    assert await leader.fetch(URL) == Fetched(b"v1", '"1"')
    assert await follower.fetch(URL) == Fetched(b"v1", '"1"')
    assert await follower.fetch(URL, '"1"') == Fetched(None, '"1"')  # it has that version
    assert upstream.calls == [None]

    await clock.sleep(61)
    upstream.body, upstream.etag = b"v2", '"2"'
    assert await follower.fetch(URL, '"1"') == Fetched(b"v2", '"2"')
    assert await leader.fetch(URL, '"1"') == Fetched(b"v2", '"2"')  # from the cache
    assert upstream.calls == [None, '"1"']


async def test_a_not_modified_answer_is_not_cached() -> None:
    clock, upstream = StepClock(), Upstream()
    source = SharedScheduleSource(upstream, MemorySourceCache(clock), ttl=60)
    assert await source.fetch(URL, '"1"') == Fetched(None, '"1"')
    assert await source.fetch(URL, '"1"') == Fetched(None, '"1"')
    assert upstream.calls == ['"1"', '"1"']
