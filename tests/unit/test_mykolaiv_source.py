"""The Mykolaiv API read as one bundle: three conditional GETs through the ordinary source."""

from __future__ import annotations

import json

import pytest

from esvitlo.adapters.mykolaiv_source import MykolaivBundleSource, for_region, part_url
from esvitlo.domain.catalogue import Region, Source
from esvitlo.domain.documents import SourceKind, decode_json, parse_document
from esvitlo.ports import Fetched, SourceUnavailable

BASE = "https://mk.example/api/"
QUEUES = BASE + "outage-queue/by-type/3"
SLOTS = BASE + "schedule/time-series"
ACTIVE = BASE + "v2/schedule/active"


class FakeServer:
    """ports.ScheduleSource over a dict of bodies: ETag = the body's length and first bytes,
    304 when the caller has it; records every (url, etag) asked for."""

    def __init__(self, bodies: dict[str, bytes]) -> None:
        self.bodies = bodies
        self.calls: list[tuple[str, str | None]] = []
        self.failing: set[str] = set()

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        self.calls.append((url, etag))
        if url in self.failing or url not in self.bodies:
            raise SourceUnavailable(f"{url}: HTTP 503")
        body = self.bodies[url]
        tag = f'"{len(body)}-{body[:8].hex()}"'
        return Fetched(None, tag) if etag == tag else Fetched(body, tag)


def documents(active: list[object] | None = None) -> dict[str, bytes]:
    queues = [{"id": 29, "name": "3.1", "type_id": 3, "enabled": 1, "deleted": 0}]
    slots = [
        {"id": i + 1, "start": f"{i // 2:02d}:{i % 2 * 30:02d}:00", "end": "00:00:00"}
        for i in range(48)
    ]
    for i, slot in enumerate(slots[:-1]):
        slot["end"] = slots[i + 1]["start"]
    period = {
        "from": "2026-12-05T22:00:00.000Z",
        "to": "2026-12-06T22:00:00.000Z",
        "series": [{"time_series_id": 17, "outage_queue_id": 29, "type": "OFF"}],
    }
    return {
        QUEUES: json.dumps(queues).encode(),
        SLOTS: json.dumps(slots).encode(),
        ACTIVE: json.dumps([period] if active is None else active).encode(),
    }


async def test_the_three_documents_become_one_bundle_the_parser_reads() -> None:
    server = FakeServer(documents())
    fetched = await MykolaivBundleSource(server, [BASE]).fetch(BASE)
    assert fetched.body is not None and fetched.etag
    doc = decode_json(fetched.body)
    assert isinstance(doc, dict) and sorted(doc) == ["active", "queues", "time_series"]
    snapshot = parse_document(doc, region="mykolaiv", kind=SourceKind.MYKOLAIV)
    [day] = snapshot.queues["3.1"].days
    assert [s.label() for s in day.outages] == ["08:00–08:30"]
    assert sorted(url for url, _ in server.calls) == sorted([QUEUES, SLOTS, ACTIVE])


async def test_an_unchanged_bundle_is_not_modified_and_parts_are_asked_conditionally() -> None:
    server = FakeServer(documents())
    source = MykolaivBundleSource(server, [BASE])
    first = await source.fetch(BASE)
    server.calls.clear()
    again = await source.fetch(BASE, first.etag)
    assert again == Fetched(None, first.etag)
    assert all(etag is not None for _, etag in server.calls)  # each part conditional


async def test_one_changed_part_gives_a_new_bundle_with_the_others_remembered() -> None:
    server = FakeServer(documents())
    source = MykolaivBundleSource(server, [BASE])
    first = await source.fetch(BASE)
    server.bodies[ACTIVE] = documents(active=[])[ACTIVE]
    second = await source.fetch(BASE, first.etag)
    assert second.body is not None and second.etag != first.etag
    doc = decode_json(second.body)
    assert isinstance(doc, dict)
    assert doc["active"] == [] and doc["queues"][0]["name"] == "3.1"


@pytest.mark.parametrize("broken", [QUEUES, SLOTS, ACTIVE])
async def test_a_failure_of_any_part_is_a_failure_of_the_source(broken: str) -> None:
    server = FakeServer(documents())
    server.failing.add(broken)
    with pytest.raises(SourceUnavailable, match="HTTP 503"):
        await MykolaivBundleSource(server, [BASE]).fetch(BASE)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe[]", b'[], "active": 1'])
async def test_a_part_that_is_not_utf8_json_is_a_failure(body: bytes) -> None:
    bodies = documents()
    bodies[SLOTS] = body
    with pytest.raises(SourceUnavailable, match="not UTF-8 JSON"):
        await MykolaivBundleSource(FakeServer(bodies), [BASE]).fetch(BASE)


async def test_a_byte_order_mark_is_dropped() -> None:
    bodies = documents()
    bodies[QUEUES] = b"\xef\xbb\xbf" + bodies[QUEUES]
    fetched = await MykolaivBundleSource(FakeServer(bodies), [BASE]).fetch(BASE)
    assert fetched.body is not None
    assert decode_json(fetched.body)


async def test_other_urls_pass_through_unchanged() -> None:
    server = FakeServer({"https://other/kyiv.json": b"{}"})
    fetched = await MykolaivBundleSource(server, [BASE]).fetch("https://other/kyiv.json", "x")
    assert fetched.body == b"{}"
    assert server.calls == [("https://other/kyiv.json", "x")]


def test_only_regions_with_a_mykolaiv_source_get_the_bundle_reader() -> None:
    server = FakeServer({})
    dtek = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", (Source(SourceKind.DTEK, "u"),))
    mk = Region("mykolaiv", "М", "M", "Europe/Kyiv", (Source(SourceKind.MYKOLAIV, BASE),))
    assert for_region(dtek, server) is server
    assert isinstance(for_region(mk, server), MykolaivBundleSource)


@pytest.mark.parametrize("base", [BASE, BASE.rstrip("/")])
def test_part_urls_join_the_base_with_or_without_a_slash(base: str) -> None:
    assert part_url(base, "schedule/time-series") == SLOTS
