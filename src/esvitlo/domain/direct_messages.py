"""One message to one chat, queued in the outbox as it is (not planned over subscribers)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """A message for one chat; ``key`` makes queueing it twice harmless.

    ``payload`` is what the sender reads: ``{"text": …}`` for a text, a channel post's order
    for a post (``esvitlo.domain.channel_posts.PostOrder.payload``).
    """

    chat_id: int
    kind: str
    topic: str
    key: str
    payload: Mapping[str, Any]
    priority: int

    @property
    def text(self) -> str | None:
        """The text of a text message, None for other payloads."""
        value = self.payload.get("text")
        return value if isinstance(value, str) else None
