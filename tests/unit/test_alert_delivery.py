"""Sending change alerts: the picture drawn and uploaded once, before the upload's send slot;
the other messages of that picture take their slots only after it, and re-send its file_id;
quiet hours and buttons reach the sender; an old text-only row still goes out as a text."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from esvitlo.domain.alerts import SCHEDULE_ALERT, change_alerts
from esvitlo.domain.buttons import NO_BUTTONS, Keyboard
from esvitlo.domain.catalogue import Region
from esvitlo.domain.changes import check_queue
from esvitlo.domain.delivery import OutboxMessage
from esvitlo.domain.model import DaySchedule, DayState, QueueSchedule, RegionSnapshot, Span
from esvitlo.domain.texts import Texts
from esvitlo.ports import RetryAfter, SentPhoto
from esvitlo.services.alert_delivery import AlertSender
from esvitlo.services.delivery import DeliveryConfig, OutboxSender
from esvitlo.services.schedule_photos import SchedulePhotos

from step_clock import StepClock

KYIV = Region("kyiv", "Київ", "Kyiv", "Europe/Kyiv", ())
TODAY = date(2025, 11, 9)


def _payload() -> dict[str, Any]:
    """A planned alert's payload (10:00–12:00 became 10:00–13:00), buttons for address 7."""
    old = DaySchedule(TODAY, DayState.PUBLISHED, (Span(600, 720),))
    new = QueueSchedule("3.1", None, (DaySchedule(TODAY, DayState.PUBLISHED, (Span(600, 780),)),))
    check = check_queue({TODAY: old}, new, TODAY)
    snapshot = RegionSnapshot("kyiv", KYIV.tz, {"3.1": new})
    [alert] = change_alerts(KYIV, snapshot, {"3.1": check}, TODAY)
    return {**alert.versions[0].message("uk").payload(), "sub": 7}  # as planned for one


class OneBatch:
    """A DeliveryQueue that hands out its messages once and records what became of them."""

    def __init__(self, messages: Sequence[OutboxMessage]) -> None:
        self.messages = list(messages)
        self.sent: list[int] = []
        self.retried: list[int] = []

    async def claim(self, limit: int, now: datetime, lease: timedelta) -> list[OutboxMessage]:
        batch, self.messages = self.messages[:limit], self.messages[limit:]
        return batch

    async def mark_sent(self, message_ids: Sequence[int], now: datetime) -> None:
        self.sent += message_ids

    async def retry_later(
        self, message_id: int, due_at: datetime, error: str, *, count_attempt: bool = True
    ) -> None:
        self.retried.append(message_id)

    async def dead_letter(self, message_id: int, error: str) -> None:
        raise AssertionError(f"dead: {message_id} {error}")

    async def drop(self, message_id: int, reason: str) -> None:
        raise AssertionError(f"dropped: {message_id}")

    async def release(self, message_ids: Sequence[int]) -> None:
        pass

    async def deactivate_recipient(
        self, chat_id: int, error: str, now: datetime | None = None
    ) -> int:
        raise AssertionError(f"deactivated: {chat_id}")

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        return 0


class Journal:
    """What happened, in order, across the fakes below."""

    def __init__(self) -> None:
        self.events: list[str] = []


class RecordingBudget:
    """A SendBudget that lets everything through at once and notes each slot taken."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    async def acquire(self, chat_id: int) -> None:
        self.journal.events.append(f"slot {chat_id}")
        await asyncio.sleep(0)

    async def pause(self, seconds: float) -> None:
        self.journal.events.append("pause")


class RecordingTelegram:
    """A MessageSender that notes every photo (an upload or a file_id) and text it sends."""

    def __init__(self, journal: Journal, refuse_first_upload: bool = False) -> None:
        self.journal = journal
        self.refuse = refuse_first_upload
        self.calls: list[dict[str, Any]] = []

    async def send_text(
        self, chat_id: int, text: str, *, silent: bool = False, paid: bool = False,
        keyboard: Keyboard = NO_BUTTONS, thread_id: int | None = None,
    ) -> int:  # fmt: skip
        self.journal.events.append(f"text {chat_id}")
        self.calls.append({"chat": chat_id, "text": text, "keyboard": keyboard})
        return len(self.calls)

    async def send_photo(
        self, chat_id: int, photo: bytes | str, caption: str, *, silent: bool = False,
        paid: bool = False, keyboard: Keyboard = NO_BUTTONS, thread_id: int | None = None,
    ) -> SentPhoto:  # fmt: skip
        upload = isinstance(photo, bytes)
        await asyncio.sleep(0)  # the upload takes a while: others could slip in meanwhile
        if upload and self.refuse:
            self.refuse = False
            self.journal.events.append(f"429 {chat_id}")
            raise RetryAfter(1)
        self.journal.events.append(f"{'upload' if upload else 'file_id'} {chat_id}")
        self.calls.append(
            {"chat": chat_id, "silent": silent, "keyboard": keyboard, "caption": caption}
        )
        return SentPhoto(len(self.calls), "FILE-1" if upload else None)

    async def edit_photo(self, *args: Any, **kwargs: Any) -> SentPhoto:
        raise AssertionError("alerts are never edited")

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        raise AssertionError("alerts are never deleted")


class RecordingChart:
    """A ChartRenderer that notes each drawing and what it was asked to outline."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.highlights: list[Any] = []

    def schedule_png(
        self, schedule: QueueSchedule | None, *, today: date, zone: ZoneInfo, texts: Texts,
        region: str, queue: str, highlight: Any = None, **marks: Any,
    ) -> bytes:  # fmt: skip
        self.journal.events.append("draw")
        self.highlights.append(highlight)
        return b"\x89PNG picture"


def _sender(
    journal: Journal,
    queue: OneBatch,
    telegram: RecordingTelegram,
    chart: RecordingChart | None = None,
) -> OutboxSender:
    alerts = AlertSender(telegram, SchedulePhotos(chart or RecordingChart(journal)))
    budget = RecordingBudget(journal)
    return OutboxSender(queue, telegram, budget, StepClock(), DeliveryConfig(), alerts=alerts)


def _alert(message_id: int, chat_id: int, **extra: Any) -> OutboxMessage:
    payload = extra.pop("payload", None) or _payload()
    return OutboxMessage(
        message_id, chat_id, SCHEDULE_ALERT, "schedule:kyiv:3.1", payload, 3, 0, **extra
    )


async def test_the_upload_is_drawn_before_its_slot_and_the_others_wait_for_it():
    journal = Journal()
    queue = OneBatch([_alert(1, 101), _alert(2, 102), _alert(3, 103)])
    telegram = RecordingTelegram(journal)
    assert await _sender(journal, queue, telegram).run_once() == 3
    assert journal.events == [
        "draw",
        "slot 101",
        "upload 101",
        "slot 102",  # only once the upload is done: slots stay evenly spaced
        "slot 103",  # not after 102's answer: those that waited do not wait for each other
        "file_id 102",
        "file_id 103",
    ]
    assert sorted(queue.sent) == [1, 2, 3]
    assert telegram.calls[0]["keyboard"][0][0].data == "ad:timer:7"


async def test_a_refused_upload_is_made_by_the_next_message_and_the_first_retried():
    journal = Journal()
    queue = OneBatch([_alert(1, 101), _alert(2, 102)])
    telegram = RecordingTelegram(journal, refuse_first_upload=True)
    await _sender(journal, queue, telegram).run_once()
    assert journal.events[:4] == ["draw", "slot 101", "429 101", "pause"]
    assert journal.events[4:] == ["draw", "slot 102", "upload 102"]  # drawn again, once
    assert (queue.retried, queue.sent) == ([1], [2])


async def test_quiet_hours_and_outlines_reach_the_picture_and_an_old_row_is_a_text():
    journal = Journal()
    quiet = {"quiet_start": time(0, 0), "quiet_end": time(23, 59)}
    old = {"payload": {"text": "🔔 старе повідомлення"}}
    queue = OneBatch([_alert(1, 101, **quiet), _alert(2, 102, **old)])
    telegram, chart = RecordingTelegram(journal), RecordingChart(journal)
    await _sender(journal, queue, telegram, chart).run_once()
    photo = next(call for call in telegram.calls if "silent" in call)
    assert photo["silent"] is True and "🆕" in photo["caption"]
    assert chart.highlights == [{TODAY: (Span(600, 780),)}]  # what the caption marks 🆕
    assert "text 102" in journal.events and sorted(queue.sent) == [1, 2]
