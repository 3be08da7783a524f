"""Where calendars are served, and their links in the two forms calendar apps take."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """A calendar's two addresses: ``https`` (Google: "add by URL") and ``webcal`` (a
    subscribe link Apple and Outlook open directly)."""

    https: str
    webcal: str


def feed_links(base_url: str, path: str) -> FeedLinks:
    """The links of ``path`` (``/calendar/…``) under the service's public ``base_url``."""
    url = base_url.rstrip("/") + path
    _, _, rest = url.partition("://")
    return FeedLinks(url, f"webcal://{rest}" if rest else url)


def public_feed_path(region: str, queue: str) -> str:
    """Where a queue's public calendar is served."""
    return f"/calendar/{region}/{queue}.ics"


def private_feed_path(secret: str) -> str:
    """Where a private calendar is served; the secret is the whole key."""
    return f"/calendar/u/{secret}.ics"
