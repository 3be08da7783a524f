"""The bot's power-at-home screens as Telegram HTML: the monitor list and one monitor's state,
the outcome of adding one, heartbeat set-up instructions and the statistics message.

Every user or device string is escaped here; templates come from :class:`PowerTexts`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from esvitlo.domain.addresses import InvalidTarget, MonitorTarget, parse_target
from esvitlo.domain.heartbeat_setup import heartbeat_snippets, svitlobot_url
from esvitlo.domain.model import local_date
from esvitlo.domain.monitors import Monitor, MonitorKind
from esvitlo.domain.power import Power
from esvitlo.domain.power_stats import PlanComparison, PowerStats
from esvitlo.domain.probing import explain_problem
from esvitlo.domain.texts import PowerTexts, Texts, format_date, format_duration
from esvitlo.domain.texts.numbers import decimal

MARKS = {Power.ON: "🟢", Power.OFF: "🔴", Power.UNKNOWN: "⚪"}


@dataclass(frozen=True, slots=True)
class ScreenTexts:
    """The two sets of strings the screens use, in one language, and the local zone."""

    power: PowerTexts
    common: Texts
    zone: ZoneInfo


def moment_text(instant: datetime, now: datetime, t: ScreenTexts) -> str:
    """``14:05`` today, else ``20 листопада о 14:05``."""
    local = instant.astimezone(t.zone)
    clock = f"{local:%H:%M}"
    if local.date() == local_date(now, t.zone):
        return clock
    return t.common.date_time.format(date=format_date(local.date(), t.common), time=clock)


def period_text(every: timedelta, t: PowerTexts) -> str:
    """``30 с`` or ``5 хв``."""
    seconds = int(every.total_seconds())
    if seconds >= 60 and seconds % 60 == 0:
        return t.period_minutes.format(n=seconds // 60)
    return t.period_seconds.format(n=seconds)


def target_display(target: str) -> str:
    """The stored probe target as people read it (international names in Unicode)."""
    try:
        return parse_target(target).display()
    except InvalidTarget:
        return target


def kind_text(monitor: Monitor, t: PowerTexts) -> str:
    """``probing myhome.ddns.net`` or ``heartbeat every 60 s`` (escaped)."""
    if monitor.kind is MonitorKind.HEARTBEAT:
        return t.kind_heartbeat.format(every=period_text(monitor.beat_every, t))
    return t.kind_probe.format(target=escape(target_display(monitor.target)))


def state_text(monitor: Monitor, now: datetime, t: ScreenTexts) -> str:
    """``🟢 Power on since 14:05`` / off / not known yet."""
    state = monitor.state
    if state.power is Power.UNKNOWN or state.since is None:
        return t.power.state_unknown
    since = moment_text(state.since, now, t)
    if not state.since_exact:
        since = t.power.since_or_earlier.format(since=since)
    template = t.power.state_on if state.power is Power.ON else t.power.state_off
    return template.format(since=since)


def who_text(monitor: Monitor, t: PowerTexts) -> str:
    """Who hears of the monitor's changes: me, my channel, or both."""
    if monitor.notify_user and monitor.notify_channel:
        return t.who_both
    return t.who_channel if monitor.notify_channel else t.who_me


def monitor_line(label: str, monitor: Monitor, t: PowerTexts) -> str:
    """One line of the list: state mark, address label, kind."""
    return t.monitor_line.format(
        mark=MARKS[monitor.power], label=escape(label), kind=kind_text(monitor, t)
    )


def monitor_button(label: str, monitor: Monitor, t: PowerTexts) -> str:
    """A list button's plain text: ``🟢 Home · myhome.ddns.net`` or ``⚪ Home · 📡 1 min``."""
    if monitor.kind is MonitorKind.HEARTBEAT:
        short = f"📡 {period_text(monitor.beat_every, t)}"
    else:
        short = target_display(monitor.target)
    return f"{MARKS[monitor.power]} {label} · {short}"


def power_screen(items: Sequence[tuple[str, Monitor]], t: PowerTexts) -> str:
    """The power-at-home screen: title, what it is, one line per monitor."""
    lines = [t.screen_title, "", t.screen_intro, ""]
    lines += [monitor_line(label, monitor, t) for label, monitor in items] or [t.screen_none]
    return "\n".join(lines)


def monitor_screen(
    label: str, monitor: Monitor, now: datetime, t: ScreenTexts, *, has_channel: bool
) -> str:
    """One monitor: its kind, state, last heartbeat and who is told."""
    p = t.power
    lines = [
        f"💡 <b>{escape(label)}</b> · {kind_text(monitor, p)}",
        "",
        state_text(monitor, now, t),
    ]
    if monitor.kind is MonitorKind.HEARTBEAT:
        beat = monitor.last_beat_at
        lines.append(p.last_beat.format(when=moment_text(beat, now, t)) if beat else p.no_beat_yet)
    lines.append(p.notify_line.format(who=who_text(monitor, p)))
    if monitor.notify_channel and not has_channel:
        lines.append(p.no_channel_hint)
    return "\n".join(lines)


def problem_text(problem: InvalidTarget, t: PowerTexts) -> str:
    """Why a typed address was not accepted, and what to do instead."""
    return t.target_not_accepted.format(reason=explain_problem(t, problem.reason, problem.refusal))


def answered_text(target: MonitorTarget, t: PowerTexts) -> str:
    """``Monitor added: x is reachable`` (no method, no timing: nothing to learn a host by)."""
    return t.probe_answered.format(target=escape(target.display()))


def confirm_text(target: MonitorTarget, t: PowerTexts) -> str:
    """``x is not reachable``, how to make a router answer, and whether to save it anyway.

    One text for every probe that did not answer (silent, refused address, no such name,
    our side failed), so the reply never tells what a name leads to.
    """
    return t.probe_unreachable.format(target=escape(target.display()))


def too_many_text(wait: timedelta, t: PowerTexts) -> str:
    """``Too many checks, try again in N min`` (N rounded up, at least 1)."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return t.probe_too_many.format(minutes=minutes)


def heartbeat_text(
    label: str,
    url: str,
    every: timedelta,
    t: PowerTexts,
    *,
    local_base: str | None = None,
    renewed: bool = False,
) -> str:
    """The URL to call (shown this once: only its hash is kept) and ready-to-paste snippets in
    ``<pre>`` blocks; a warning for a local base URL (``local_base`` is that base).
    ``renewed``: a new link replacing the monitor's old one, not a new monitor."""
    template = t.heartbeat_renewed if renewed else t.heartbeat_added
    lines = [
        template.format(label=escape(label), every=period_text(every, t), url=escape(url)),
        "",
        t.link_shown_once,
    ]
    if local_base is not None:
        lines += ["", t.local_base_warning.format(base=escape(local_base))]
    svitlobot = svitlobot_url(url)
    if svitlobot is not None:
        ping, key = svitlobot
        lines += ["", t.svitlobot_ping.format(url=escape(ping), key=escape(key))]
    for snippet in heartbeat_snippets(url, every):
        heading: str = getattr(t, f"snippet_{snippet.kind}")
        lines += ["", heading, f"<pre>{escape(snippet.code)}</pre>"]
    return "\n".join(lines)


def _duration(delta: timedelta, texts: Texts) -> str:
    minutes = int(delta.total_seconds() // 60)
    return format_duration(max(minutes, 1) if delta > timedelta(0) else 0, texts)


def _offset(minutes: float, t: PowerTexts) -> str:
    rounded = round(minutes)
    if rounded == 0:
        return t.offset_on_time
    template = t.offset_later if rounded > 0 else t.offset_earlier
    return template.format(minutes=abs(rounded))


def plan_lines(plan: PlanComparison, t: PowerTexts) -> list[str]:
    """How the outages compared with the schedule, in a few lines."""
    if not plan.known:
        return [t.plan_unknown]
    lines = [t.plan_matched.format(count=len(plan.matched))]
    if plan.average_start_offset is not None:
        lines.append(t.plan_start.format(offset=_offset(plan.average_start_offset, t)))
    if plan.average_end_offset is not None:
        lines.append(t.plan_end.format(offset=_offset(plan.average_end_offset, t)))
    lines.append(t.plan_unplanned.format(count=plan.unplanned))
    lines.append(t.plan_kept.format(count=plan.kept))
    return lines


def window_lines(days: int, stats: PowerStats, now: datetime, t: ScreenTexts) -> list[str]:
    """The statistics of one window."""
    p, common = t.power, t.common
    heading = p.stats_window.format(days=days)
    if stats.watched_since is None:
        return [heading, p.stats_not_watched]
    if stats.watched_since > stats.since:
        heading += " " + p.stats_watched_from.format(since=moment_text(stats.watched_since, now, t))
    lines = [heading]
    if stats.count == 0:
        lines.append(p.stats_no_outages)
    else:
        lines.append(p.stats_count.format(count=stats.count))
        lines.append(p.stats_total.format(duration=_duration(stats.total, common)))
        if stats.average is not None:
            lines.append(p.stats_average.format(duration=_duration(stats.average, common)))
        lines.append(p.stats_longest.format(duration=_duration(stats.longest, common)))
    if stats.power_share is not None:
        percent = decimal(stats.power_share * 100, p.lang)
        lines.append(p.stats_share.format(percent=percent))
    if stats.ongoing:
        lines.append(p.stats_ongoing)
    return lines + plan_lines(stats.plan, p)


def stats_text(label: str, windows: Mapping[int, PowerStats], now: datetime, t: ScreenTexts) -> str:
    """The statistics message: a title and a block per window, shortest first; a longer
    window the monitor has not outlived (it would repeat the shorter one) is left out."""
    lines = [t.power.stats_title.format(label=escape(label))]
    shown: PowerStats | None = None
    for days in sorted(windows):
        stats = windows[days]
        if shown is not None and _same_watch(shown, stats):
            continue
        lines += ["", *window_lines(days, stats, now, t)]
        shown = stats
    return "\n".join(lines)


def _same_watch(shorter: PowerStats, longer: PowerStats) -> bool:
    """Whether both windows saw the same span: the monitor is younger than the shorter one."""
    return (
        shorter.watched_since is not None
        and shorter.watched_since > shorter.since
        and longer.watched_since == shorter.watched_since
    )
