"""A CalendarFeed as iCalendar text (RFC 5545 with RFC 7986's NAME and REFRESH-INTERVAL),
written with the ``icalendar`` package.

No METHOD: this is a published calendar, so DTSTAMP means "last revised" (see
``domain/calendar_feed.py``). Times are UTC (``…Z``): no VTIMEZONE to get wrong, and clients
show them in the reader's own zone. One hour is the refresh hint (REFRESH-INTERVAL and
Microsoft's X-PUBLISHED-TTL); Google ignores both and refreshes about daily.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from esvitlo.domain.calendar_feed import CalendarEvent, CalendarFeed

PRODID = "-//eSvitlo//outage calendar//UK"
REFRESH = timedelta(hours=1)


def _event(item: CalendarEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp)
    event.add("last-modified", item.stamp)
    event.add("sequence", item.sequence)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("categories", list(item.categories))
    event.add("status", "TENTATIVE" if item.tentative else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # an outage does not make anyone busy
    return event


def ics_bytes(feed: CalendarFeed) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF line ends, folded lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", feed.name)
    calendar.add("x-wr-calname", feed.name)
    calendar.add("description", feed.description)
    calendar.add("x-wr-caldesc", feed.description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in feed.events:
        calendar.add_component(_event(item))
    body: bytes = calendar.to_ical()
    return body
