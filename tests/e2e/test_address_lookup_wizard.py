"""Find my queue by address, end to end: the wizard through the fake Bot API against a fake
YASNO address API; a typo finds the street, the house is picked, the queue confirmed and
saved under "street, house"; adding a second address meets a refusal and gets the manual
choice; a region without a lookup source never offers it. In a region whose DTEK site
serves many towns the town comes first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from esvitlo.testing.chat_user import buttons, content
from esvitlo.testing.lookup_servers import FakeDtekSite, FakeYasno

from bot_user import BotUser, dump, settings_for, start_service

pytest_plugins = ("fake_bot",)

FIND = "Знайти чергу за адресою"


def _catalogue(feed, yasno: FakeYasno, tmp_path) -> str:
    path = tmp_path / "regions-with-lookup.toml"
    path.write_text(
        '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n'
        f'[[regions.lookup]]\nkind = "yasno"\nurl = "{yasno.base_url}"\n'
        "region_id = 25\ndso_id = 902\n"
        '[[regions]]\nid = "dnipro"\nname_uk = "Дніпро"\nname_en = "Dnipro"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n',
        encoding="utf-8",
    )
    return str(path)


async def test_a_user_finds_the_queue_by_address(fake, feed, database_url, tmp_path, monkeypatch):
    monkeypatch.setattr("esvitlo.app.lookups.PACE_SECONDS", 0.01)  # pacing has its own tests
    yasno = FakeYasno()
    await yasno.start()
    regions = _catalogue(feed, yasno, tmp_path)
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_REGIONS_FILE=regions)
    service = await start_service(settings)
    olena = BotUser(fake)
    try:
        await olena.send("/start", "Оберіть ваш регіон")
        queues = await olena.press("Київ", "Оберіть вашу чергу")
        assert FIND in buttons(queues)[0][0], dump([queues])
        await olena.press(FIND, "Напишіть назву вашої вулиці")

        # a typo still finds the street; both close streets are offered
        offered = await olena.send("хрещатік", "Оберіть вашу вулицю")
        names = [t for t, _ in buttons(offered)]
        assert names[:2] == ["вул. Хрещатик", "вул. Хрещатицька"], dump([offered])
        assert "📋 Обрати чергу вручну" in names
        await olena.press("вул. Хрещатик", "Напишіть номер будинку")

        # "12" is no house exactly: the numbers close to it
        close = await olena.send("12", "Можливо, один із цих")
        assert [t for t, _ in buttons(close)][:2] == ["12а", "12/1"], dump([close])
        found = await olena.press("12а", "Ваша черга")
        assert "вул. Хрещатик, 12а" in content(found) and "3.2" in content(found)
        await olena.press("Так, підписатися", "Головне меню")

        user = await service.storage.users.get_by_telegram_id(olena.id)
        assert user is not None
        (sub,) = await service.storage.subscriptions.list_for_user(user.id)
        assert (sub.region, sub.queue, sub.label) == ("kyiv", "3.2", "вул. Хрещатик, 12а")
        # the address is kept as text, for the daily re-check
        (kept,) = await service.storage.address_book.due(datetime.now(UTC) + timedelta(days=2), 5)
        assert (kept.subscription_id, kept.street, kept.house) == (sub.id, "вул. Хрещатик", "12а")

        # a second address: the operator's site refuses, the manual choice is offered
        yasno.mode = "waf"
        await olena.send("/start", "Головне меню")
        await olena.press("Мої адреси", "Ваші адреси")
        await olena.press("Додати адресу", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press(FIND, "Напишіть назву вашої вулиці")
        refused = await olena.send("Хорива", "не відповідає на пошук за адресою")
        manual = await olena.press("Обрати чергу вручну", "Оберіть вашу чергу", refused)
        # typing now is not taken for a street any more
        assert FIND in buttons(manual)[0][0]

        # a region without a lookup source goes straight to the queues, with no such button
        await olena.press("Назад", "Оберіть ваш регіон")
        dnipro = await olena.press("Дніпро", "Оберіть вашу чергу")
        assert all(FIND not in t for t, _ in buttons(dnipro)), dump([dnipro])
    finally:
        await service.stop()
        await yasno.stop()


async def test_a_many_town_region_asks_the_town_first(
    fake, feed, database_url, tmp_path, monkeypatch
):
    monkeypatch.setattr("esvitlo.app.lookups.PACE_SECONDS", 0.01)
    site = FakeDtekSite()
    await site.start()
    regions = tmp_path / "regions-with-towns.toml"
    regions.write_text(
        '[[regions]]\nid = "kyiv-region"\nname_uk = "Київщина"\nname_en = "Kyiv region"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n'
        f'[[regions.lookup]]\nkind = "dtek"\nurl = "{site.base_url}"\ncity = "*"\n'
        '[[regions]]\nid = "dnipro"\nname_uk = "Дніпро"\nname_en = "Dnipro"\n'
        f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed.url("kyiv.json")}"\n',
        encoding="utf-8",
    )
    settings = settings_for(fake, feed, database_url, tmp_path, ESVITLO_REGIONS_FILE=str(regions))
    service = await start_service(settings)
    taras = BotUser(fake)
    try:
        await taras.send("/start", "Оберіть ваш регіон")
        await taras.press("Київщина", "Оберіть вашу чергу")
        await taras.press(FIND, "Напишіть назву вашого міста чи села")
        towns = await taras.send("бровори", "Оберіть ваш населений пункт")  # a typo
        assert buttons(towns)[0][0] == "м. Бровари", dump([towns])
        await taras.press("м. Бровари", "Напишіть назву вашої вулиці")
        # a street of another town (Бородянка) is not in Бровари
        await taras.send("Центральна", "Не знайшли вулицю")
        await taras.send("Київська", "Оберіть вашу вулицю")
        await taras.press("вул. Київська", "Напишіть номер будинку")
        found = await taras.send("5", "Ваша черга")
        assert "м. Бровари, вул. Київська, 5" in content(found) and "4.2" in content(found)
        await taras.press("Так, підписатися", "Головне меню")

        user = await service.storage.users.get_by_telegram_id(taras.id)
        assert user is not None
        (sub,) = await service.storage.subscriptions.list_for_user(user.id)
        assert (sub.queue, sub.label) == ("4.2", "м. Бровари, вул. Київська, 5")
        (kept,) = await service.storage.address_book.due(datetime.now(UTC) + timedelta(days=2), 5)
        assert kept.street == "м. Бровари, вул. Київська"  # re-resolvable as "TOWN, STREET"
    finally:
        await service.stop()
        await site.stop()
