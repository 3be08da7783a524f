"""Rendezvous hashing: same owner everywhere, balanced, and minimal moves when instances change."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esvitlo.domain.sharding import owned_by, owner_of

INSTANCES = ["a-1", "b-2", "c-3", "d-4"]
KEYS = [f"monitor:{n}" for n in range(4000)]


def test_owner_is_one_of_the_instances_and_ignores_their_order():
    for key in KEYS[:200]:
        owner = owner_of(key, INSTANCES)
        assert owner in INSTANCES
        assert owner_of(key, list(reversed(INSTANCES))) == owner


def test_keys_spread_evenly():
    counts = Counter(owner_of(key, INSTANCES) for key in KEYS)
    assert set(counts) == set(INSTANCES)
    assert all(800 <= n <= 1200 for n in counts.values()), counts


def test_only_the_leaving_instances_keys_move():
    before = {key: owner_of(key, INSTANCES) for key in KEYS}
    after = {key: owner_of(key, ["a-1", "b-2", "d-4"]) for key in KEYS}
    moved = {key for key in KEYS if before[key] != after[key]}
    assert moved == {key for key in KEYS if before[key] == "c-3"}


def test_a_joining_instance_only_takes_keys():
    before = {key: owner_of(key, INSTANCES) for key in KEYS}
    after = {key: owner_of(key, [*INSTANCES, "e-5"]) for key in KEYS}
    moved = [key for key in KEYS if before[key] != after[key]]
    assert moved and all(after[key] == "e-5" for key in moved)


def test_owned_by_partitions_the_keys():
    parts = [owned_by(instance, KEYS, INSTANCES) for instance in INSTANCES]
    assert sorted(key for part in parts for key in part) == sorted(KEYS)
    assert owned_by("gone", KEYS, INSTANCES) == []


def test_no_instances_is_an_error():
    with pytest.raises(ValueError, match="at least one"):
        owner_of("monitor:1", [])


@given(st.text(), st.lists(st.text(min_size=1), min_size=1, max_size=6, unique=True))
def test_every_instance_agrees(key, instances):
    assert owner_of(key, instances) == owner_of(key, sorted(instances))
