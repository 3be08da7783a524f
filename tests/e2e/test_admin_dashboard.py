"""The admin dashboard through the bot over the fake Bot API: ``/dashboard`` gives an admin a
one-time link (no preview) that logs in to ``/admin`` on the running service; a user who is
not an admin gets no link."""

from __future__ import annotations

import re

import aiohttp

from esvitlo.testing.chat_user import content

from bot_user import BotUser, settings_for, start_service

pytest_plugins = ("fake_bot",)


async def test_dashboard_link_for_an_admin_logs_in_and_nothing_for_others(fake, feed, tmp_path):
    admin, olena = BotUser(fake, "Адмін"), BotUser(fake, "Олена")
    url = f"sqlite:///{tmp_path / 'esvitlo.db'}"
    service = await start_service(settings_for(fake, feed, url, tmp_path, ADMIN_IDS=str(admin.id)))
    try:
        refused = await olena.send("/dashboard", "Я не зрозумів")
        assert "/admin/login/" not in (refused.source or "") + content(refused)
        reply = await admin.send("/dashboard", "Вхід до панелі")
        found = re.search(r'href="[^"]*/admin/login/([^"]+)"', reply.source or "")
        assert found is not None, reply.source
        base = f"http://127.0.0.1:{service.http_port}"
        jar = aiohttp.CookieJar(unsafe=True)  # keep cookies of an IP address host
        async with aiohttp.ClientSession(base, cookie_jar=jar) as browser:
            assert (await browser.get("/admin")).status == 401
            login = await browser.post("/admin/login", data={"token": found[1]})
            assert login.status == 200 and "Панель адміністратора" in await login.text()
            again = await browser.post("/admin/login", data={"token": found[1]})
            assert again.status == 403
    finally:
        await service.stop()
