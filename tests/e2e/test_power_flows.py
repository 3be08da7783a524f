"""Power at home through the real bot and the fake Bot API server, on SQLite and PostgreSQL:
refused addresses explained, a silent and an answering router, a heartbeat monitor with its
instructions, statistics with the weekly chart, who is told, removal."""

from __future__ import annotations

import io
import re
from ipaddress import ip_address

from PIL import Image

from esvitlo.adapters.prober import IP, NetworkProber, ResolutionFailed
from esvitlo.app import Service
from esvitlo.domain.addresses import MonitorTarget
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.testing.chat_user import buttons, content

from bot_user import BotUser, calls_of, dump, settings_for

pytest_plugins = ("fake_bot",)

ANSWERING = "93.184.216.34"
HEARTBEAT_URL = re.compile(r"https://svitlo\.example\.org/hb/([A-Za-z0-9_-]{32})")
SILENT = "93.184.216.35"
PAGE_URL = re.compile(r'href="https://svitlo\.example\.org/m/\d+\.[A-Za-z0-9_-]{22}"')


def secret_in(text: str) -> str:
    """The secret of the heartbeat URL a message shows."""
    found = HEARTBEAT_URL.search(text)
    assert found is not None, text
    return found.group(1)


INSIDE = "db.inside.example"  # a name that leads to a private address
UNKNOWN = "nowhere.example"  # a name that does not resolve


class TableDnsProber(NetworkProber):
    """The product's prober (and policy) with a resolver table instead of DNS."""

    async def lookup(self, host: str) -> list[IP]:
        if host != INSIDE:
            raise ResolutionFailed(host)
        return [ip_address("10.0.3.7")]


class LocalOnlyProber:
    """Answers for two documentation-free public addresses from a script; two names go to
    the real prober with a resolver table, which refuses the one leading to a private
    address and fails to resolve the other, before any packet is sent."""

    def __init__(self) -> None:
        self.real = TableDnsProber(timeout=2)
        self.asked: list[str] = []

    async def probe(self, target: MonitorTarget) -> ProbeResult:
        self.asked.append(target.host)
        if target.host in (INSIDE, UNKNOWN):
            return await self.real.probe(target)
        if target.host == ANSWERING:
            return ProbeResult(ProbeVerdict.ANSWERED, "tcp", "connected", ANSWERING, None, 23.0)
        if target.host == SILENT:
            return ProbeResult(ProbeVerdict.SILENT, "tcp", "timeout", SILENT)
        raise AssertionError(f"the test never probes {target.host}")


async def test_power_at_home(fake, feed, database_url, tmp_path):
    settings = settings_for(
        fake, feed, database_url, tmp_path, ESVITLO_PUBLIC_URL="https://svitlo.example.org"
    )
    prober = LocalOnlyProber()
    service = Service(settings, prober=prober)
    await service.start()
    olena = BotUser(fake)
    try:
        await olena.send("/start", "Оберіть ваш регіон")
        await olena.press("Київ", "Оберіть вашу чергу")
        await olena.press("Черга 3.1", "Підписатися на графік?")
        await olena.press("Підтвердити", "Готово")

        await olena.press("Світло вдома", "Моніторів ще немає")
        await olena.press("Додати монітор", "Як дізнаватися про світло")
        await olena.press("Перевіряти адресу", "Надішліть публічну IP-адресу")

        # refused addresses are explained, and the bot keeps waiting for another one
        private = await olena.send("192.168.1.1", "приватна адреса")
        assert "Надішліть іншу адресу" in content(private)
        await olena.send("postgres:5432", "повне імʼя з крапкою")
        await olena.send("home.example.org:5432", "Цей порт ми не перевіряємо")
        assert prober.asked == []  # refused before any probe

        # a name inside a network gets the answer of a name that does not exist
        inside = await olena.send(f"{INSIDE}:8080", "зараз недоступний")
        unknown = await olena.send(f"{UNKNOWN}:8080", "зараз недоступний")
        assert content(inside).replace(INSIDE, UNKNOWN) == content(unknown)
        assert "10.0.3.7" not in content(inside), dump(olena.messages())
        assert prober.asked == [INSIDE, UNKNOWN]

        # a silent router: advice, then kept on the user's word
        silent = await olena.send(SILENT, "зараз недоступний")
        assert "прокиньте" in content(silent) and "сигналом" in content(silent)
        saved = await olena.press("Зберегти все одно", f"перевірка {SILENT}")
        assert "Поки невідомо" in content(saved)

        # an answering router is saved at once
        await olena.press("Назад", "Світло вдома")
        await olena.press("Додати монітор", "Як дізнаватися про світло")
        await olena.press("Перевіряти адресу", "Надішліть публічну IP-адресу")
        answered = await olena.send(ANSWERING, "Монітор додано")
        assert "tcp" not in content(answered) and "мс" not in content(answered)

        # a heartbeat monitor: the period, then the URL and the snippets
        await olena.press("Назад", "Світло вдома")
        await olena.press("Додати монітор", "Як дізнаватися про світло")
        await olena.press("Сигнал від пристрою", "Як часто пристрій")
        beat = await olena.press("1 хв", "/hb/")
        user = await service.storage.users.get_by_telegram_id(olena.id)
        assert user is not None
        stored = await service.storage.monitors.list_for_user(user.id)
        assert [m.kind for m in stored] == [MonitorKind.PROBE] * 2 + [MonitorKind.HEARTBEAT]
        secret = secret_in(content(beat))
        assert stored[-1].secret_hash == hash_secret(secret)  # the secret itself is not kept
        assert "не зможе показати його знову" in content(beat)
        source = beat.source or ""
        assert source.count("<pre>") == 4 and "/system scheduler" in content(beat)
        assert "rest_command" in content(beat) and "HTTPClient" in content(beat)
        assert "ESVITLO_PUBLIC_URL" not in content(beat)  # the base is public

        # the limit (3): no Add button any more
        home = await olena.press("Назад", "Світло вдома")
        assert not any("Додати монітор" in t for t, _ in buttons(home))

        # who is told, then statistics: the chart photo and the message
        screen = await olena.press("📡 1 хв", "Повідомляти: мене")
        page_link = PAGE_URL.search(screen.source or "")  # the read-only page, not /hb/
        assert page_link is not None and secret not in page_link.group(0), screen.source
        await olena.press("Обом", "мене і канал")
        assert (await service.storage.monitors.list_for_user(user.id))[-1].notify_channel

        # a new link: asked first, then shown once; only the new one's hash is stored
        await olena.press("Нове посилання", "Старе посилання перестане працювати")
        renewed = await olena.press("Так, нове посилання", "старе вже не працює")
        new_secret = secret_in(content(renewed))
        assert new_secret != secret and (renewed.source or "").count("<pre>") == 4
        latest = (await service.storage.monitors.list_for_user(user.id))[-1]
        assert latest.secret_hash == hash_secret(new_secret)
        screen = await olena.press("Назад", "Повідомляти: мене і канал")
        renewed_link = PAGE_URL.search(screen.source or "")  # a new heartbeat link, a new page
        assert renewed_link is not None and renewed_link.group(0) != page_link.group(0)
        sent = len(calls_of(fake, "sendMessage"))
        stats = await olena.press("Статистика", "За 7 днів")  # one message: chart and text
        assert "Відключень не було" in content(stats) and stats.photo_file_id is not None
        assert "За 30 днів" not in content(stats)  # a monitor younger than a week: one block
        assert len(calls_of(fake, "sendPhoto")) == 1 and len(calls_of(fake, "sendMessage")) == sent
        png = fake.world.files[stats.photo_file_id].data
        assert Image.open(io.BytesIO(png)).size == (1000, 540)

        # remove: two steps
        await olena.press("Назад", "Повідомляти:", stats)
        await olena.press("Видалити монітор", "разом з історією")
        removed = await olena.press("Так, видалити", "Монітор видалено")
        assert len(re.findall("перевірка", content(removed))) == 2
        assert len(await service.storage.monitors.list_for_user(user.id)) == 2
    finally:
        await service.stop()
        await prober.real.close()
    assert not fake.unanswered_callbacks()
