"""The shape of the public web pages' strings; the values live in ``uk.py`` and ``en.py``.

Plain text: the templates escape every value (Jinja2 autoescape), so no HTML here.
Placeholders are named in the comments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class WebTexts:
    """The status pages in one language."""

    lang: str
    site_name: str
    regions_title: str
    regions_intro: str
    region_no_schedule: str  # beside a region whose operator publishes nothing we read
    region_no_schedule_long: str  # {region}: the region's own page
    region_not_checked: str  # the region's schedule has not been fetched yet
    queues_title: str  # {region}
    queue_page_title: str  # {region} {queue}
    og_description: str  # {region} {queue}
    all_regions: str
    all_queues: str  # {region}
    other_language: str  # the link to the page in the other language
    power_on_now: str
    power_off_now: str
    power_unknown_now: str
    emergency_now: str
    next_outage: str  # {time}
    next_restoration: str  # {time}
    countdown: str  # {wait}
    nothing_ahead: str
    chart_label: str  # the SVG's accessible name
    legend_outage: str
    legend_possible: str
    legend_power: str
    legend_unknown: str
    outage_row: str  # {interval} {duration}
    continues_next_day: str
    total: str  # {duration}
    no_outages: str
    pending_day: str
    possible_heading: str
    missing_day: str
    missing_queue: str
    emergency_day: str
    emergency_day_times: str
    fresh: str
    stale: str
    source_error: str
    updated_at: str  # {when}: the operator's own update time
    checked_at: str  # {when}: our last check of the feed
    times_note: str  # the time zone the page speaks in
    refresh_note: str  # under the page: it refreshes itself
    not_found: str
    not_found_hint: str
    # the crowd: what the homes' own monitors in the queue say now (issue 13)
    crowd_heading: str
    crowd_on: str
    crowd_off: str
    crowd_mixed: str
    crowd_note: str  # where the line comes from, and the privacy floor
    monitor_heading: str  # a monitor's page: its title above the address's label
    monitor_week: str  # the week chart's accessible name
    monitor_private: str  # the page is reached by a secret link only
