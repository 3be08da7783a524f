"""A crowd alert as the outbox gets it: one text per language, its topic and episode key.

The text names the queue and region and a time, never a count of monitors or anything about
a user; the key names the episode (its start) and the edge, so one episode alerts at most
once per edge and recipient, whoever plans it and however often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.crowd import CrowdEdge, Episode, OthersVerdict
from esvitlo.domain.message_text import clock_text
from esvitlo.domain.texts import (
    PowerTexts,
    format_duration,
    power_texts_for,
    queue_title,
    texts_for,
)

CROWD_KIND = "crowd"
LANGUAGES = ("uk", "en")


def crowd_topic(region: str, queue: str) -> str:
    """The outbox topic of a queue's crowd alerts."""
    return f"crowd:{region}:{queue}"


@dataclass(frozen=True, slots=True)
class CrowdAlert:
    """One edge of one queue's episode, rendered in every language."""

    region: str
    queue: str
    edge: CrowdEdge
    started_at: datetime
    texts: dict[str, str]

    @property
    def topic(self) -> str:
        return crowd_topic(self.region, self.queue)

    @property
    def key_prefix(self) -> str:
        """The idempotency key without the chat: episode start and edge."""
        return f"{self.topic}:{self.started_at.isoformat()}:{self.edge.value}:"

    def text(self, lang: str) -> str:
        return self.texts.get(lang, self.texts["uk"])


@dataclass(frozen=True, slots=True)
class EpisodeMove:
    """A queue's episode as it now stands, with the alert it causes, if any."""

    region: str
    queue: str
    episode: Episode
    alert: CrowdAlert | None = None


def crowd_alert(
    region: str,
    region_names: tuple[str, str],
    queue: str,
    edge: CrowdEdge,
    started_at: datetime,
    at: datetime,
    zone: ZoneInfo,
    planned_end: datetime | None = None,
) -> CrowdAlert:
    """The alert of ``edge`` at ``at`` in every language (``region_names``: uk, en); early
    and late ones also name the scheduled end and how far from it ``at`` was."""
    texts: dict[str, str] = {}
    for lang, region_name in zip(LANGUAGES, region_names, strict=True):
        common, power = texts_for(lang), power_texts_for(lang)
        values = {
            "queue": escape(queue_title(common, queue)),
            "region": escape(region_name),
            "time": clock_text(at, zone),
        }
        if edge.about_plan and planned_end is not None:
            minutes = round(abs((at - planned_end).total_seconds()) / 60)
            values["planned"] = clock_text(planned_end, zone, end=True)
            values["duration"] = format_duration(minutes, common)
        texts[lang] = _template(edge, power).format(**values)
    return CrowdAlert(region, queue, edge, started_at, texts)


def _template(edge: CrowdEdge, texts: PowerTexts) -> str:
    return {
        CrowdEdge.OUTAGE: texts.crowd_outage,
        CrowdEdge.BACK: texts.crowd_back,
        CrowdEdge.EARLY: texts.crowd_early,
        CrowdEdge.LATE: texts.crowd_late,
    }[edge]


def others_line(verdict: OthersVerdict | None, texts: PowerTexts) -> str:
    """The "only you, or the whole queue?" line of a power alert; empty when unknown."""
    if verdict is OthersVerdict.QUEUE_OFF:
        return texts.crowd_queue_off
    if verdict is OthersVerdict.ONLY_YOU:
        return texts.crowd_only_you
    return ""
