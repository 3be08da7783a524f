"""Every user-facing string, one module per language; :func:`texts_for` picks one.

Templates use ``str.format`` placeholders (named in each field's comment). Values put into
them by the renderer are already HTML-escaped; the templates themselves may use ``<b>`` and
``<i>`` only, opened and closed on the same line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esvitlo.domain.texts.bot import BotTexts as BotTexts
from esvitlo.domain.texts.power import PowerTexts as PowerTexts
from esvitlo.domain.texts.web import WebTexts as WebTexts

DEFAULT_LANGUAGE = "uk"


@dataclass(frozen=True, slots=True)
class Texts:
    """All strings and templates of one language."""

    lang: str
    # calendar: weekday names Monday first, month names as used after a day number
    weekdays: tuple[str, str, str, str, str, str, str]
    months: tuple[str, str, str, str, str, str, str, str, str, str, str, str]
    date: str  # {day} {month}
    date_time: str  # {date} {time}
    today: str
    tomorrow: str
    # durations
    hours: str  # {hours}
    minutes: str  # {minutes}
    # queue title when the feed gives no name, and whether to prefer the feed's own name
    queue_label: str  # {queue}
    prefer_feed_queue_names: bool
    # schedule message
    schedule_title: str  # {region} {queue}
    day_heading: str  # {label} {weekday} {date}
    outage_line: str  # {interval} {duration}
    continues_next_day: str
    continued_from_previous_day: str
    total_line: str  # {duration}
    possible_pending_heading: str
    possible_line: str  # {interval} {duration}
    possible_all_day: str  # the weekly template's possible outages cover the whole day
    unreadable_line: str  # {intervals}: hours the feed wrote in a way we cannot read
    no_outages: str
    no_outages_last_known: str
    emergency: str
    emergency_times: str  # an emergency day whose source gives outage times; they follow
    pending_today: str
    pending_tomorrow: str
    missing_day: str
    missing_queue: str
    updated_at: str  # {when}
    fresh: str
    stale: str
    stale_since: str  # {when}: our last successful fetch is old (or the latest failed)
    stale_operator: str  # {when}: the operator's own update time is old
    source_error: str
    truncated: str
    # change message
    change_title: str  # {region} {queue}
    tomorrow_appeared: str  # {weekday} {date}
    today_appeared: str  # {weekday} {date}
    today_changed: str  # {weekday} {date}
    tomorrow_changed: str  # {weekday} {date}
    emergency_started: str  # {weekday} {date}
    emergency_ended: str  # {weekday} {date}: the schedule applies again
    coverage_added: str  # {intervals}
    coverage_removed: str  # {intervals}
    shifted_line: str  # {old} {new}
    list_and: str  # between the last two intervals of a list (before: ", ")
    new_mark: str  # after an outage that a change added or moved
    new_schedule: str
    # channel post: the header when today and tomorrow changed in one check
    post_days_changed: str
    post_linked: str  # the first post in a channel just linked
    post_test: str  # the channel owner's test post
    # timer
    timer_title: str  # {region} {queue}
    timer_label: str  # {label} {title}: the user's name for the address before the title
    now_on: str
    now_off: str  # {interval}
    until_restoration: str  # {wait} {time}
    until_outage: str  # {wait} {interval} {duration}
    later_today: str
    later_line: str  # {interval} {duration}
    nothing_ahead: str  # {date}
    timer_unknown: str
    timer_emergency: str
    # reminders: what is coming first (it shows in the notification), then whose queue
    reminder_off: str  # {lead} {interval} {duration}
    reminder_on: str  # {lead} {time}
    reminder_off_now: str  # {interval} {duration}: at the moment itself
    reminder_on_now: str  # {time}
    reminder_footer: str  # {region} {queue}
    reminder_for: str  # {label} {reminder}: the user's name for the address first
    # schedule image (plain text: no HTML, no emoji)
    chart_pending: str
    chart_missing: str
    chart_emergency: str
    chart_outage: str
    chart_power: str
    chart_possible: str
    chart_total: str
    chart_new: str  # legend: outages a change added or moved (outlined)
    post_btn_timer: str  # under a channel post: the queue's timer in the bot
    post_btn_today: str  # under a channel post: the queue's schedule in the bot
    chart_now: str  # legend: the half-hour now (outlined on today's bar)
    chart_stale: str  # a badge by the title: the data may be outdated
    chart_source_error: str  # a badge by the title: the source reports an error


def format_duration(minutes: int, texts: Texts) -> str:
    """``2 год 30 хв`` / ``2 h 30 min``: whole hours drop the minutes, under an hour the hours."""
    hours, rest = divmod(max(0, minutes), 60)
    parts = [texts.hours.format(hours=hours)] if hours else []
    if rest or not hours:
        parts.append(texts.minutes.format(minutes=rest))
    return " ".join(parts)


def format_date(day: date, texts: Texts) -> str:
    """``20 листопада`` / ``20 November``."""
    return texts.date.format(day=day.day, month=texts.months[day.month - 1])


def queue_title(texts: Texts, queue: str, name: str | None = None) -> str:
    """The feed's own queue name where the language prefers it, else ``Черга 3.1``-style."""
    if name and texts.prefer_feed_queue_names:
        return name
    return texts.queue_label.format(queue=queue)


def texts_for(lang: str | None) -> Texts:
    """The texts of a language code like ``en`` or ``en-GB``; Ukrainian when unknown."""
    from esvitlo.domain.texts import en, uk

    return en.TEXTS if language_code(lang) == "en" else uk.TEXTS


def language_code(lang: str | None) -> str:
    """``en`` or ``uk`` for any language code (Telegram's ``en-GB``, ``uk``, None...)."""
    code = (lang or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].strip().casefold()
    return "en" if code == "en" else DEFAULT_LANGUAGE


def bot_texts_for(lang: str | None) -> BotTexts:
    """The bot interface strings of a language; Ukrainian when unknown."""
    from esvitlo.domain.texts import en, uk

    return en.BOT if language_code(lang) == "en" else uk.BOT


def power_texts_for(lang: str | None) -> PowerTexts:
    """The power-detection strings of a language; Ukrainian when unknown."""
    from esvitlo.domain.texts import en, uk

    return en.POWER if language_code(lang) == "en" else uk.POWER


def web_texts_for(lang: str | None) -> WebTexts:
    """The public web pages' strings of a language; Ukrainian when unknown."""
    from esvitlo.domain.texts import en, uk

    return en.WEB if language_code(lang) == "en" else uk.WEB
