"""End to end: the deep links under channel posts open a queue's timer and schedule for
anyone, follower or not, with a button to subscribe (SQLite and PostgreSQL)."""

from __future__ import annotations

from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


async def test_links_open_a_queues_timer_and_schedule_without_subscribing(
    fake, feed, database_url, tmp_path
):
    service = await start_service(settings_for(fake, feed, database_url, tmp_path))
    try:
        await service.watch.check_region("kyiv")
        visitor = BotUser(fake)
        timer = await visitor.send("/start t_kyiv_3-1", "Київ · Черга 3.1")
        assert timer.photo_file_id is None and "Підписатися" not in content(timer)
        assert [text for text, _ in buttons(timer)] == [
            "🔔 Підписатися на цю чергу",
            "📅 Графік",
            "⤴️ Меню",
        ]
        schedule = await visitor.send("/start s_kyiv_3-1", "Київ · Черга 3.1")
        assert schedule.photo_file_id is not None  # the picture with the text as caption
        assert "⏱ Таймер" in [text for text, _ in buttons(schedule)]
        owner = await service.storage.users.get_by_telegram_id(visitor.id)
        assert owner is None or not await service.storage.subscriptions.list_for_user(owner.id)
        switched = await visitor.press("Таймер", "Київ · Черга 3.1", schedule)
        assert switched.photo_file_id is None  # the timer again
        await visitor.press("Підписатися на цю чергу", "Готово", switched)
        owner = await service.storage.users.get_by_telegram_id(visitor.id)
        assert owner is not None
        [sub] = await service.storage.subscriptions.list_for_user(owner.id)
        assert (sub.region, sub.queue) == ("kyiv", "3.1")
        follower_view = await visitor.send("/start t_kyiv_3-1", "Київ · Черга 3.1")
        assert ("⏱ Таймер", "") not in buttons(follower_view)  # the address's own screen
        assert f"ad:schedule:{sub.id}" in [data for _, data in buttons(follower_view)]
    finally:
        await service.stop()
