"""What the public status page says about a queue's crowd: most have power, most are off, or
the monitors disagree; nothing below the privacy floor, and never a count or a user.

The page's schedule is the operator's word; this line is the homes' own monitors, measured
now, so a reader sees an unscheduled outage (or power kept) the schedule does not show.
"""

from __future__ import annotations

import math
from enum import StrEnum

from esvitlo.domain.crowd import CrowdRules, QueueOthers
from esvitlo.domain.texts.web import WebTexts


class CrowdVerdict(StrEnum):
    """The queue's monitors together, as the page shows them."""

    ON = "on"
    OFF = "off"
    MIXED = "mixed"


def crowd_verdict(everyone: QueueOthers, rules: CrowdRules) -> CrowdVerdict | None:
    """Off as the crowd watch calls it (``off_needed``), on when at least ``back_share`` have
    power, else mixed; None when fewer than ``min_users`` users' monitors know their power."""
    if not rules.visible(everyone.known):
        return None
    if everyone.off >= rules.off_needed(everyone.known):
        return CrowdVerdict.OFF
    if everyone.on >= math.ceil(rules.back_share * everyone.known):
        return CrowdVerdict.ON
    return CrowdVerdict.MIXED


def crowd_line(verdict: CrowdVerdict, texts: WebTexts) -> str:
    """The page's sentence for the verdict (plain text: the template escapes it)."""
    return {
        CrowdVerdict.ON: texts.crowd_on,
        CrowdVerdict.OFF: texts.crowd_off,
        CrowdVerdict.MIXED: texts.crowd_mixed,
    }[verdict]
