"""Channel posts: one schedule post per changed queue, a picture with the schedule as caption.

A check that changes both today and tomorrow of a queue makes one post, not two. The caption
is the schedule message in Ukrainian under a one-line header saying what changed; the picture
is described (days, titles, zone) so that the sender draws it once and re-sends Telegram's
file_id to every other channel showing the same schedule. The topic names the queue, so a
newer post still waiting replaces the older one; the idempotency key is made from the keys of
the alerts the post goes with, so re-planning a change adds nothing while a schedule that
flips back and forth is posted every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.accounts import CaptionStyle, PostMode
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import DayChange, QueueCheck, fingerprint
from esvitlo.domain.channel_captions import (
    CaptionParts,
    picture_title,
    templated_caption,
    updated_text,
)
from esvitlo.domain.delivery import PRIORITY_TODAY, change_priority
from esvitlo.domain.model import (
    DataStatus,
    DaySchedule,
    DayState,
    QueueSchedule,
    RegionSnapshot,
    Span,
    local_date,
)
from esvitlo.domain.render import CAPTION_LIMIT, change_heading, render_schedule, text_length
from esvitlo.domain.texts import DEFAULT_LANGUAGE, Texts, queue_title, texts_for

CHANNEL_POST = "channel_post"
"""The outbox kind of a channel post; its payload is read by :meth:`PostOrder.from_payload`."""
CHANNEL_LOST = "channel_lost"
"""The outbox kind of the notice telling an owner that the bot can no longer post."""
POST_LANGUAGE = DEFAULT_LANGUAGE


def picture_key(region: str, schedule: QueueSchedule, today: date, lang: str) -> str:
    """Names one picture: region, queue, date, today's and tomorrow's fingerprints, language."""
    days = [schedule.day(today), schedule.day(today + timedelta(days=1))]
    marks = ",".join(fingerprint(d) if d else "-" for d in days)
    return f"{region}|{schedule.queue}|{today.isoformat()}|{marks}|{lang}"


def _spans(spans: tuple[Span, ...]) -> list[list[int]]:
    return [[span.start, span.end] for span in spans]


def _day(item: Sequence[Any]) -> DaySchedule:
    on, state, outages, possible = item
    return DaySchedule(
        date.fromisoformat(on),
        DayState(state),
        tuple(Span(a, b) for a, b in outages),
        tuple(Span(a, b) for a, b in possible),
    )


@dataclass(frozen=True, slots=True)
class SchedulePicture:
    """What a schedule image shows: today and tomorrow of one queue under display titles."""

    region_id: str
    region: str  # display name, HTML-escaped (as SchedulePhotos.render takes it)
    title: str  # the queue's display title, HTML-escaped
    tz: str
    today: date
    lang: str
    schedule: QueueSchedule

    @property
    def key(self) -> str:
        """The picture's name in the file_id cache (see :func:`picture_key`)."""
        return picture_key(self.region_id, self.schedule, self.today, self.lang)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form; only today and tomorrow are kept."""
        shown = (self.today, self.today + timedelta(days=1))
        days = [
            [d.date.isoformat(), d.state.value, _spans(d.outages), _spans(d.possible)]
            for d in self.schedule.days
            if d.date in shown
        ]
        return {
            "key": self.key,
            "region_id": self.region_id,
            "region": self.region,
            "title": self.title,
            "tz": self.tz,
            "today": self.today.isoformat(),
            "lang": self.lang,
            "queue": self.schedule.queue,
            "name": self.schedule.name,
            "days": days,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SchedulePicture:
        """The picture of :meth:`to_json`; KeyError, TypeError or ValueError when malformed."""
        schedule = QueueSchedule(
            str(data["queue"]), data.get("name"), tuple(_day(item) for item in data["days"])
        )
        return cls(
            region_id=str(data["region_id"]),
            region=str(data["region"]),
            title=str(data["title"]),
            tz=str(data["tz"]),
            today=date.fromisoformat(data["today"]),
            lang=str(data["lang"]),
            schedule=schedule,
        )


@dataclass(frozen=True, slots=True)
class PostOrder:
    """A channel post as the sender reads it from the outbox: what to show, and how."""

    caption: str
    picture: SchedulePicture
    mode: PostMode = PostMode.NEW
    delete_previous: bool = False  # after a new post, delete the one before it
    paused_too: bool = False  # the owner's test post: a paused channel gets it as well
    parts: CaptionParts | None = None  # what a caption template is filled with
    buttons: bool = True  # ⏰ timer and 📊 today links into the bot under the post

    def payload(self) -> dict[str, Any]:
        """The outbox payload (JSON-ready)."""
        payload = {
            "caption": self.caption,
            "photo": self.picture.to_json(),
            "mode": self.mode.value,
            "delete_previous": self.delete_previous,
            "paused_too": self.paused_too,
            "buttons": self.buttons,
        }
        if self.parts is not None:
            payload["parts"] = self.parts.to_json()
        return payload

    def caption_for(self, style: CaptionStyle, template: str | None) -> str:
        """The caption a channel with this caption style and template shows: a one-line title,
        the template filled in, or the default caption (also when the template cannot be
        filled: a post planned without parts, or a caption that no longer fits)."""
        if style is CaptionStyle.PICTURE:
            return picture_title(self.picture.region, self.picture.title)
        if template is None or self.parts is None:
            return self.caption
        texts = texts_for(self.picture.lang)
        return templated_caption(template, self.parts, texts) or self.caption

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> PostOrder:
        """The order in an outbox payload; ValueError when it is not a channel post."""
        try:
            return cls(
                caption=str(payload["caption"]),
                picture=SchedulePicture.from_json(payload["photo"]),
                mode=PostMode(payload.get("mode", PostMode.NEW.value)),
                delete_previous=bool(payload.get("delete_previous", False)),
                paused_too=bool(payload.get("paused_too", False)),
                buttons=bool(payload.get("buttons", True)),
                parts=CaptionParts.from_json(payload["parts"]) if "parts" in payload else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a channel post payload: {exc!r}") from exc


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """The post every channel linked to one (region, queue) gets for one check's changes."""

    region: str
    queue: str
    caption: str
    picture: SchedulePicture
    priority: int
    parts: CaptionParts | None = None

    @property
    def topic(self) -> str:
        """A waiting post on the same topic is replaced by a newer one."""
        return f"channel:{self.region}:{self.queue}"

    def key_prefix(self, alert_keys: Sequence[str]) -> str:
        """The idempotency key without the channel's chat id, from the keys of its alerts."""
        digest = hashlib.sha256("|".join(sorted(alert_keys)).encode()).hexdigest()[:24]
        return f"{self.topic}:{digest}:"

    def order(self, mode: PostMode, delete_previous: bool) -> PostOrder:
        """The post for a channel with these preferences (deleting only after a new post)."""
        delete = delete_previous and mode is PostMode.NEW
        return PostOrder(self.caption, self.picture, mode, delete, parts=self.parts)


def _header(texts: Texts, changes: Sequence[DayChange]) -> str:
    """What changed; emergency outages starting or ending lead even when another day changed
    too (the schedule under the header shows both days)."""
    emergency = [change for change in changes if change.kind.emergency]
    if emergency:
        return change_heading(texts, emergency[0])
    if len({change.date for change in changes}) > 1:
        return texts.post_days_changed
    return change_heading(texts, changes[0])


def _priority(changes: Sequence[DayChange]) -> int:
    """The most urgent of the changes' priorities (an emergency first, then today)."""
    return min(change_priority(change.kind) for change in changes)


def channel_posts(
    region: Region, snapshot: RegionSnapshot, checks: Mapping[str, QueueCheck], now: datetime
) -> list[ChannelPost]:
    """One post per queue with alert-worthy changes, showing the days the check keeps."""
    texts = texts_for(POST_LANGUAGE)
    zone = ZoneInfo(region.tz)
    today = local_date(now, zone)
    region_name = region.name(POST_LANGUAGE)
    posts: list[ChannelPost] = []
    for queue in sorted(checks):
        check = checks[queue]
        if not check.changes or check.keep is None:
            continue
        source = snapshot.queues.get(queue)
        name = source.name if source is not None else None
        schedule = QueueSchedule(queue, name, tuple(check.keep[d] for d in sorted(check.keep)))
        changes = sorted(check.changes, key=lambda change: change.date)
        header = _header(texts, changes)
        body = render_schedule(
            texts, schedule, queue=queue, region=region_name, zone=zone, now=now,
            status=DataStatus.FRESH, updated_at=snapshot.data_updated_at,
            limit=CAPTION_LIMIT - text_length(header) - 1,
        )  # fmt: skip
        title = escape(queue_title(texts, queue, name))
        picture = SchedulePicture(
            region.id, escape(region_name), title, region.tz, today, POST_LANGUAGE, schedule
        )
        parts = _parts(texts, picture, header, body, snapshot.data_updated_at, zone)
        caption = f"{header}\n{body}"
        posts.append(ChannelPost(region.id, queue, caption, picture, _priority(changes), parts))
    return posts


def current_post(
    region: Region,
    schedule: QueueSchedule,
    *,
    header: str,
    updated_at: datetime | None,
    status: DataStatus,
    now: datetime,
) -> ChannelPost:
    """A post of a queue's schedule as it stands (not a change), under ``header``: the first
    post of a channel just linked, or its owner's test post."""
    texts = texts_for(POST_LANGUAGE)
    zone = ZoneInfo(region.tz)
    region_name = region.name(POST_LANGUAGE)
    body = render_schedule(
        texts, schedule, queue=schedule.queue, region=region_name, zone=zone, now=now,
        status=status, updated_at=updated_at, limit=CAPTION_LIMIT - text_length(header) - 1,
    )  # fmt: skip
    title = escape(queue_title(texts, schedule.queue, schedule.name))
    picture = SchedulePicture(
        region.id, escape(region_name), title, region.tz, local_date(now, zone), POST_LANGUAGE,
        schedule,
    )  # fmt: skip
    parts = _parts(texts, picture, header, body, updated_at, zone)
    caption = f"{header}\n{body}"
    return ChannelPost(region.id, schedule.queue, caption, picture, PRIORITY_TODAY, parts)


def _parts(
    texts: Texts,
    picture: SchedulePicture,
    header: str,
    body: str,
    updated_at: datetime | None,
    zone: ZoneInfo,
) -> CaptionParts:
    """What a caption template of this post is filled with."""
    updated = updated_text(updated_at, zone, texts)
    return CaptionParts(picture.region, picture.title, header, body, updated)
