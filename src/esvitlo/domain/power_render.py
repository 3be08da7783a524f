"""Power alerts as Telegram HTML: what happened, how long the previous state lasted, and
what the address's schedule says about it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.crowd import OthersVerdict
from esvitlo.domain.crowd_render import others_line
from esvitlo.domain.model import local_date
from esvitlo.domain.monitors import PowerMessage, WatchedMonitor
from esvitlo.domain.power import Power, Transition
from esvitlo.domain.render import clock_text, interval_text
from esvitlo.domain.texts import PowerTexts, Texts, format_duration, power_texts_for, texts_for
from esvitlo.domain.timeline import Timeline


@dataclass(frozen=True, slots=True)
class PowerAlertTexts:
    """The two sets of strings a power alert is made of, in one language."""

    power: PowerTexts
    common: Texts


def _schedule_line(
    transition: Transition, timeline: Timeline, zone: ZoneInfo, t: PowerAlertTexts
) -> str:
    """What the schedule said at the moment of the change; empty when it says nothing."""
    if not timeline.known or timeline.emergency:
        return ""
    today = local_date(transition.at, zone)
    if transition.power is Power.OFF:
        current = timeline.current_outage
        if current is None:
            return t.power.not_in_schedule
        known_end = timeline.known_until is None or current.end < timeline.known_until
        if not known_end:
            return t.power.schedule_restoration_unknown
        return t.power.schedule_expects_restoration.format(
            time=clock_text(current.end, zone, end=True)
        )
    if timeline.current_outage is not None:
        end = clock_text(timeline.current_outage.end, zone, end=True)
        return t.power.schedule_expects_outage_until.format(time=end)
    upcoming = timeline.next_outage
    if upcoming is None:
        return t.power.no_planned_outages
    return t.power.next_planned_outage.format(
        interval=interval_text(upcoming, zone, today, t.common)
    )


def render_power_alert(
    transition: Transition,
    label: str,
    timeline: Timeline,
    zone: ZoneInfo,
    t: PowerAlertTexts,
    others: OthersVerdict | None = None,
) -> str:
    """``Power went off at 14:05 · Home``, how long the previous state lasted, the schedule,
    and (going off) whether the queue's other monitors are off too."""
    when = clock_text(transition.at, zone)
    went_off = transition.power is Power.OFF
    title = t.power.went_off if went_off else t.power.came_back
    lines = [title.format(time=when, label=escape(label))]
    lasted = transition.previous_lasted
    if lasted is not None:
        minutes = max(1, math.floor(lasted.total_seconds() / 60))
        template = t.power.was_on_for if went_off else t.power.was_off_for
        lines.append(template.format(duration=format_duration(minutes, t.common)))
    schedule = _schedule_line(transition, timeline, zone, t)
    if schedule:
        lines.append(schedule)
    crowd = others_line(others, t.power) if went_off else ""
    if crowd:
        lines.append(crowd)
    return "\n".join(lines)


def alert_texts(lang: str) -> PowerAlertTexts:
    """The strings of a power alert in a language (Ukrainian when unknown)."""
    return PowerAlertTexts(power_texts_for(lang), texts_for(lang))


def power_messages(
    watched: WatchedMonitor,
    transition: Transition,
    timeline: Timeline,
    zone: ZoneInfo,
    others: OthersVerdict | None = None,
) -> list[PowerMessage]:
    """The alert for the owner (when they want it) and for each linked channel."""
    label = watched.label or watched.monitor.target
    messages: list[PowerMessage] = []
    texts = alert_texts(watched.language)
    text = render_power_alert(transition, label, timeline, zone, texts, others)
    if watched.chat_id is not None:
        messages.append(PowerMessage(watched.chat_id, text))
    messages += [PowerMessage(chat, text, is_channel=True) for chat in watched.channel_chat_ids]
    return messages
