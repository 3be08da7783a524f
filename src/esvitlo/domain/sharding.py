"""Which live instance owns a piece of work: rendezvous (highest-random-weight) hashing.

Every instance computes the same owner from the same list of live instances, with no
coordination beyond agreeing on that list. When an instance joins or leaves, only the keys
it wins or held move; every other key keeps its owner.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def _weight(instance: str, key: str) -> int:
    digest = hashlib.blake2b(f"{instance}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def owner_of(key: str, instances: Sequence[str]) -> str:
    """The instance with the highest weight for ``key``; ValueError when there is none."""
    if not instances:
        raise ValueError("owner_of needs at least one instance")
    return max(instances, key=lambda instance: (_weight(instance, key), instance))


def owned_by(instance: str, keys: Iterable[str], instances: Sequence[str]) -> list[str]:
    """The keys ``instance`` owns among ``instances`` (none when it is not one of them)."""
    if instance not in instances:
        return []
    return [key for key in keys if owner_of(key, instances) == instance]
