"""Rendered public pages: kept for their time to live, error pages never kept."""

from __future__ import annotations

from esvitlo.web.page_cache import PageCache, Rendered, rendered


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_page_is_rendered_once_while_it_lives_then_again():
    ticks, renders = Ticks(), []

    async def render() -> Rendered:
        renders.append(1)
        return rendered(f"page {len(renders)}".encode(), "text/html")

    cache = PageCache(10, monotonic=ticks)
    first = await cache.get("k", render)
    ticks.now += 9.9
    assert await cache.get("k", render) is first
    ticks.now += 0.2
    second = await cache.get("k", render)
    assert second.body == b"page 2" and second.etag != first.etag
    assert len(renders) == 2


async def test_error_pages_are_not_kept_and_the_oldest_page_goes_first():
    ticks, renders = Ticks(), []

    async def missing() -> Rendered:
        renders.append(1)
        return rendered(b"no", "text/html", status=404)

    cache = PageCache(10, max_pages=1, monotonic=ticks)
    await cache.get("gone", missing)
    await cache.get("gone", missing)
    assert len(renders) == 2

    async def page() -> Rendered:
        renders.append(1)
        return rendered(b"yes", "text/html")

    await cache.get("a", page)
    await cache.get("b", page)
    await cache.get("a", page)  # pushed out by b
    assert len(renders) == 5


def test_an_etag_is_quoted_and_follows_the_bytes_unless_given():
    assert rendered(b"x", "t").etag == rendered(b"x", "t").etag != rendered(b"y", "t").etag
    assert rendered(b"x", "t", etag="v1").etag == '"v1"'
