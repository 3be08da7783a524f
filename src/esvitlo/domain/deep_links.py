"""Deep links into the bot (``https://t.me/<bot>?start=<payload>``) naming a region's queue.

``kyiv_3-1`` offers to subscribe to Kyiv's queue 3.1; ``t_kyiv_3-1`` shows that queue's
timer and ``s_kyiv_3-1`` its schedule, without subscribing (the buttons under channel
posts). A payload holds only ``A-Z a-z 0-9 _ -`` (Telegram's rule), so the queue's dots
are written as dashes and read back by :func:`normalize_queue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from esvitlo.domain.buttons import Button, Keyboard
from esvitlo.domain.catalogue import Catalogue
from esvitlo.domain.model import normalize_queue
from esvitlo.domain.texts import Texts

PAYLOAD_LIMIT = 64
"""The longest start payload Telegram passes on."""


class LinkAction(StrEnum):
    """What a deep link opens: the subscription offer, the queue's timer or its schedule."""

    SUBSCRIBE = ""
    TIMER = "t"
    SCHEDULE = "s"


@dataclass(frozen=True, slots=True)
class DeepLink:
    """A ``/start`` payload naming a queue, e.g. ``kyiv_3-1`` or ``t_kyiv-region_GPV6-2``."""

    region: str
    queue: str
    action: LinkAction = LinkAction.SUBSCRIBE


def _queue_link(payload: str, catalogue: Catalogue) -> tuple[str, str] | None:
    region_id, sep, queue = payload.rpartition("_")
    region = catalogue.get(region_id) if sep else None
    if region is None or not queue:
        return None
    return region.id, normalize_queue(queue)


def parse_deep_link(payload: str, catalogue: Catalogue) -> DeepLink | None:
    """The region, queue and action named by a start payload; None when it names no region."""
    payload = payload.strip()
    plain = _queue_link(payload, catalogue)
    if plain is not None:
        return DeepLink(*plain)
    mark, sep, rest = payload.partition("_")
    actions = {action.value: action for action in LinkAction if action.value}
    if not sep or mark not in actions:
        return None
    named = _queue_link(rest, catalogue)
    return DeepLink(*named, actions[mark]) if named is not None else None


def deep_link_payload(region: str, queue: str, action: LinkAction = LinkAction.SUBSCRIBE) -> str:
    """The start payload :func:`parse_deep_link` reads back as (region, queue, action)."""
    body = f"{region}_{queue.replace('.', '-')}"
    return f"{action.value}_{body}" if action.value else body


def start_url(bot_username: str, payload: str) -> str:
    """The link that opens the bot and sends it ``/start <payload>``."""
    return f"https://t.me/{bot_username}?start={payload}"


def queue_links(bot_username: str, region: str, queue: str, texts: Texts) -> Keyboard:
    """⏰ the queue's timer and 📊 its schedule in the bot, as link buttons (under a post)."""
    timer = deep_link_payload(region, queue, LinkAction.TIMER)
    today = deep_link_payload(region, queue, LinkAction.SCHEDULE)
    return (
        (
            Button(texts.post_btn_timer, url=start_url(bot_username, timer)),
            Button(texts.post_btn_today, url=start_url(bot_username, today)),
        ),
    )
