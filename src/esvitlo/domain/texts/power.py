"""The shape of the power-detection strings; the values live in ``uk.py`` and ``en.py``.

Placeholders are named in the comments; values are HTML-escaped by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PowerTexts:
    """Power alerts, monitor set-up and statistics in one language."""

    lang: str  # "uk" or "en": picks the decimal separator
    # alerts
    went_off: str  # {time} {label}
    came_back: str  # {time} {label}
    was_on_for: str  # {duration}
    was_off_for: str  # {duration}
    schedule_expects_restoration: str  # {time}
    schedule_restoration_unknown: str
    not_in_schedule: str
    schedule_expects_outage_until: str  # {time}
    next_planned_outage: str  # {interval}
    no_planned_outages: str
    # monitor addresses: why one is refused (one per AddressRefusal, see domain/probing.py)
    refusal_unspecified: str
    refusal_loopback: str
    refusal_private: str
    refusal_shared: str
    refusal_link_local: str
    refusal_site_local: str
    refusal_multicast: str
    refusal_broadcast: str
    refusal_documentation: str
    refusal_reserved: str
    refusal_embedded: str
    # monitor addresses: why one could not be read (one per TargetProblem but REFUSED)
    target_empty: str
    target_too_long: str
    target_bad_url: str
    target_bad_scheme: str
    target_credentials: str
    target_bad_port: str
    target_bad_host: str
    target_bare_name: str
    target_port_not_allowed: str  # {ports}
    target_refused: str
    no_public_address: str  # a name with no public address (the CLI says it; no address)
    # esvitlo monitor check: labels of its report and the verdicts in words
    check_target: str
    check_addresses: str
    check_result: str
    check_time: str  # {ms}
    check_answered: str  # {method}
    check_silent: str
    check_dns_failed: str
    check_not_checked: str  # {detail}
    # power at home: the bot's screens, statistics and the weekly chart (issue 5)
    screen_title: str
    screen_intro: str
    screen_none: str
    need_address: str
    limit_reached: str  # {limit}
    monitor_line: str  # {mark} {label} {kind}
    kind_probe: str  # {target}
    kind_heartbeat: str  # {every}
    state_on: str  # {since}
    state_off: str  # {since}
    state_unknown: str
    since_or_earlier: str  # {since}
    last_beat: str  # {when}
    no_beat_yet: str
    notify_line: str  # {who}
    page_line: str  # {url}: the monitor's read-only page (HTML link)
    who_me: str
    who_channel: str
    who_both: str
    no_channel_hint: str
    period_seconds: str  # {n}
    period_minutes: str  # {n}
    btn_add: str
    btn_probe: str
    btn_heartbeat: str
    btn_save_anyway: str
    btn_stats: str
    btn_new_link: str
    btn_yes_new_link: str
    btn_remove: str
    btn_yes_remove: str
    btn_notify_me: str
    btn_notify_channel: str
    btn_notify_both: str
    pick_address: str
    pick_kind: str  # {label} {every}: how often a router is probed
    ask_target: str
    target_not_accepted: str  # {reason}
    probe_answered: str  # {target}
    probe_unreachable: str  # {target}
    probe_too_many: str  # {minutes}
    ask_period: str
    heartbeat_added: str  # {label} {every} {url}
    heartbeat_renewed: str  # {label} {every} {url}
    link_shown_once: str
    new_link_confirm: str  # {label}
    local_base_warning: str  # {base}
    snippet_curl: str
    snippet_mikrotik: str
    snippet_home_assistant: str
    snippet_esp32: str
    remove_confirm: str  # {label}
    removed: str
    notify_set: str  # {who}
    stats_title: str  # {label}
    stats_window: str  # {days}
    stats_watched_from: str  # {since}
    stats_not_watched: str
    stats_no_outages: str
    stats_count: str  # {count}
    stats_total: str  # {duration}
    stats_average: str  # {duration}
    stats_longest: str  # {duration}
    stats_share: str  # {percent}
    stats_ongoing: str
    plan_unknown: str
    plan_matched: str  # {count}
    plan_start: str  # {offset}
    plan_end: str  # {offset}
    offset_later: str  # {minutes}
    offset_earlier: str  # {minutes}
    offset_on_time: str
    plan_unplanned: str  # {count}
    plan_kept: str  # {count}
    chart_caption: str  # {label}
    chart_title: str  # {label} {period} (plain text)
    chart_real: str  # plain text
    chart_planned: str  # plain text
    chart_power: str  # plain text
    chart_unwatched: str  # plain text
    chart_weekdays: str  # seven short names, Monday first, separated by spaces
    # the crowd signal per queue (issue 13): alerts to a queue's subscribers and channels
    crowd_outage: str  # {queue} {region} {time}
    crowd_back: str  # {queue} {region} {time}
    crowd_early: str  # {queue} {region} {time} {planned} {duration}: back before the plan
    crowd_late: str  # {queue} {region} {time} {planned} {duration}: back after the plan
    crowd_queue_off: str  # a user's own monitor went off and so did the queue's others
    crowd_only_you: str  # a user's own monitor went off, the queue's others still have power
    svitlobot_ping: str  # {url} {key}: the Svitlobot-compatible address and its key
