"""End to end: /calendar makes a private calendar link shown once (webcal:// and https://),
the link serves the user's addresses as an ICS calendar on the service's own listener, and
turning it off makes it 404 at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import aiohttp
from icalendar import Calendar

from esvitlo.testing.chat_user import content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)

PUBLIC = "https://svitlo.example"
PRIVATE_LINK = re.compile(r"webcal://svitlo\.example(/calendar/u/[A-Za-z0-9_-]+\.ics)")


async def test_a_private_calendar_link_is_made_served_and_turned_off(
    fake, feed, database_url, tmp_path
):
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_PUBLIC_URL=PUBLIC)
    service = await start_service(settings)
    try:
        await service.watch.check_region("kyiv")
        person = BotUser(fake)
        user = await service.storage.users.get_or_create(person.id, "uk")
        await service.storage.subscriptions.add(user.id, "kyiv", "3.1", "Дім")
        screen = await person.send("/calendar", "Календар відключень")
        assert "webcal://svitlo.example/calendar/kyiv/3.1.ics" in content(screen)
        made = await person.press("Створити посилання", "Посилання особисте", screen)
        found = PRIVATE_LINK.search(content(made))
        assert found is not None, content(made)
        assert f"{PUBLIC}{found.group(1)}" in content(made)
        url = f"http://127.0.0.1:{service.http_port}{found.group(1)}"
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as answer:
                assert answer.status == 200
                cal = Calendar.from_ical(await answer.read())
            summaries = {str(event.get("summary")) for event in cal.walk("VEVENT")}
            assert summaries == {"Відключення · Дім (черга 3.1)"}
            await person.press("Вимкнути посилання", "вимкнено", made)
            async with session.get(url) as answer:
                assert answer.status == 404
    finally:
        await service.stop()


async def test_without_a_public_address_the_bot_says_calendars_are_not_set_up(fake, feed, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'plain.db'}"
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        person = BotUser(fake)
        answer = await person.send("/calendar", "не налаштовані")
        assert "ESVITLO_PUBLIC_URL" in content(answer) and "webcal" not in content(answer)
    finally:
        await service.stop()
