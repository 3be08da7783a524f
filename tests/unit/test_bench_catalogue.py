"""``bench parse``: every source kind and one poll cycle of the whole catalogue (no timings
are checked, only that the figures are there and the documents are what they claim)."""

from __future__ import annotations

import json

import pytest

from esvitlo.cli import main
from esvitlo.cli.bench_catalogue import mykolaiv_document, yasno_document
from esvitlo.domain.documents import SourceKind, decode_json, detect_kind, parse_document
from esvitlo.domain.model import DayState


def test_bench_parse_reports_every_kind_and_the_catalogue_cycle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "parse", "--rounds", "3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["groups"] == 120 and result["median_ms"] > 0  # the old keys stay
    assert set(result["kind_cpu_median_ms"]) == {"dtek", "yasno", "mykolaiv"}
    assert result["catalogue_regions"] == 25
    polled = result["catalogue_polled_by_kind"]
    assert polled["mykolaiv"] == 1 and polled["dtek"] >= 10
    assert sum(polled.values()) == result["catalogue_polled_regions"]
    assert result["catalogue_cycle_cpu_s"] > 0 and result["catalogue_target_s"] == 0.5
    assert result["catalogue_every_source_cpu_s"] > 0


@pytest.mark.parametrize(
    ("make", "kind"), [(yasno_document, SourceKind.YASNO), (mykolaiv_document, SourceKind.MYKOLAIV)]
)
def test_the_bench_documents_parse_as_their_kind_and_variants_differ(make, kind) -> None:
    doc = decode_json(make(0))
    assert detect_kind(doc) is kind
    snapshot = parse_document(doc, region="bench")
    assert len(snapshot.queues) == 12 and snapshot.warnings == ()
    days = [d for q in snapshot.queues.values() for d in q.days]
    assert len(days) == 24 and all(d.state is DayState.PUBLISHED and d.outages for d in days)
    assert make(0) != make(1)
