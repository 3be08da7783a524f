"""deploy/nginx in front of two ``esvitlo run`` instances (blue, green) on loopback, with Debian's
nginx run as this user from a temporary prefix: heartbeats keep answering while
``esvitlo-switch`` moves all traffic from blue to green (after green's private
/health/ready) and nginx reloads; a canary weight splits requests as configured; a canary
that dies is taken out by nginx's passive check; and one instance leads all along."""

from __future__ import annotations

import asyncio
import getpass
import os
import shutil
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.migrate import upgrade_engine
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.system_clock import SystemClock
from esvitlo.domain.monitors import MonitorKind, hash_secret
from esvitlo.testing.fake_telegram import FakeTelegram, Limits

from instance_cluster import Instance, PrivateRedis, free_port, require, stop_process
from schedule_server import FixtureServer, Reply, shifted_fixture

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"
POSTGRES_URL = os.environ.get(
    "ESVITLO_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SECRET = "nginx-rollout-heartbeat-0123456789"
TTL = 1.0
HEADER = "X-Esvitlo-Upstream"
WEBHOOK_SECRET = "nginx-rollout-webhook"
BASELINE = "outage-data-ua/kyiv/2025-11-06T1845_a045.json"

MAIN_CONF = """daemon off;
worker_processes 1;
user {user};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""


def _site(port: int, upstream: Path) -> str:
    """deploy/nginx/esvitlo.conf with a loopback port and this test's upstream file."""
    site = (DEPLOY / "esvitlo.conf").read_text(encoding="utf-8")
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("include /etc/nginx/esvitlo/upstream.conf;", f"include {upstream};"),
    ):
        assert site.count(old) == 1, old
        site = site.replace(old, new)
    return site


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """A new PostgreSQL database, migrated, with one heartbeat monitor; dropped afterwards."""
    name = f"esvitlo_ngx_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL)
    try:
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OSError as exc:
        require(f"PostgreSQL at {POSTGRES_URL} is unreachable ({exc})")
    finally:
        await admin.dispose()
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    storage = SqlStorage.from_engine(create_engine(url), SystemClock())
    await upgrade_engine(storage.engine)
    user = await storage.users.get_or_create(1001, "uk")
    home = await storage.subscriptions.add(user.id, "kyiv", "3.1", "home")
    await storage.monitors.add(
        user.id, home.id, MonitorKind.HEARTBEAT, "", hash_secret(SECRET), timedelta(seconds=30)
    )
    await storage.close()
    yield url
    admin = create_engine(POSTGRES_URL)
    try:
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture
async def feed() -> AsyncIterator[FixtureServer]:
    """Kyiv's schedule (today's date) on loopback, so the instances' schedules are fresh."""
    srv = FixtureServer()
    await srv.test_server.start_server()
    today = datetime.now(ZoneInfo("Europe/Kyiv")).date()
    srv.replies["kyiv.json"] = Reply(raw=shifted_fixture(BASELINE, today))
    yield srv
    srv.release.set()
    await srv.test_server.close()


class Rollout:
    """Two instances, nginx in front, and the switch script with this test's settings."""

    def __init__(
        self, tmp_path: Path, database_url: str, redis_url: str, feed: str, fake: FakeTelegram
    ) -> None:
        nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
        if nginx is None and os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed (Debian: nginx-light); CI requires it")
        require(None if nginx else "nginx is not installed (Debian: nginx-light)")
        assert nginx is not None
        self.prefix = tmp_path / "nginx"
        self.prefix.mkdir()
        self.port = free_port()
        self.upstream = self.prefix / "upstream.conf"
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(
            MAIN_CONF.format(
                user=getpass.getuser(), prefix=self.prefix, site=_site(self.port, self.upstream)
            )
        )
        self.nginx = [nginx, "-p", str(self.prefix), "-c", str(self.conf), "-e", "stderr"]
        regions = tmp_path / "regions.toml"
        regions.write_text(
            '[[regions]]\nid = "kyiv"\nname_uk = "Київ"\nname_en = "Kyiv"\n'
            f'[[regions.sources]]\nkind = "dtek"\nurl = "{feed}"\n'
        )
        self.colours: dict[str, Instance] = {}
        for colour in ("blue", "green"):
            env = {k: v for k, v in os.environ.items() if not k.startswith(("ESVITLO_", "BOT"))}
            self.colours[colour] = Instance(colour, env | {
                "ESVITLO_REGIONS_FILE": str(regions), "ESVITLO_INSTANCE_ID": colour,
                "ESVITLO_LEADER_TTL": str(TTL), "ESVITLO_LOG_FORMAT": "console",
                "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                "HTTP_HOST": "127.0.0.1", "HTTP_PORT": str(free_port()),
                "METRICS_PORT": str(free_port()), "LOG_LEVEL": "INFO",
                "BOT_TOKEN": fake.token, "TELEGRAM_API_URL": fake.base_url,
                "BOT_MODE": "webhook", "WEBHOOK_SECRET": WEBHOOK_SECRET,
                "WEBHOOK_URL": f"http://127.0.0.1:{self.port}/webhook",
            })  # fmt: skip
        self.process: asyncio.subprocess.Process | None = None

    def address(self, colour: str) -> str:
        return f"127.0.0.1:{self.colours[colour].env['HTTP_PORT']}"

    def _switch_env(self, nginx: str) -> dict[str, str]:
        blue, green = self.colours["blue"].env, self.colours["green"].env
        return dict(os.environ) | {
            "ESVITLO_BLUE": self.address("blue"),
            "ESVITLO_GREEN": self.address("green"),
            "ESVITLO_BLUE_READY": f"http://127.0.0.1:{blue['METRICS_PORT']}/health/ready",
            "ESVITLO_GREEN_READY": f"http://127.0.0.1:{green['METRICS_PORT']}/health/ready",
            "ESVITLO_UPSTREAM_FILE": str(self.upstream),
            "ESVITLO_NGINX": nginx,
        }

    async def switch(self, *args: str, nginx: str | None = None) -> tuple[int, str]:
        """Run deploy/nginx/esvitlo-switch; its exit code and output."""
        process = await asyncio.create_subprocess_exec(
            "sh", str(DEPLOY / "esvitlo-switch"), *args,
            env=self._switch_env(nginx or " ".join(self.nginx)),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await process.communicate()
        return int(process.returncode or 0), out.decode()

    async def start_nginx(self, session: aiohttp.ClientSession) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.nginx, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        async with asyncio.timeout(10):
            while (await self.get(session, "/health"))[0] != 200:
                await asyncio.sleep(0.05)

    async def update(self, session: aiohttp.ClientSession, number: int, chat: int) -> int:
        """Post Telegram's update ``number`` (a /start from ``chat``) to the webhook."""
        sender = {"id": chat, "is_bot": False, "first_name": "X"}
        message = {"message_id": number, "date": 0, "text": "/start", "from": sender}
        update = {
            "update_id": number,
            "message": message | {"chat": {"id": chat, "type": "private"}},
        }
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        url = f"http://127.0.0.1:{self.port}/webhook"
        try:
            async with session.post(url, json=update, headers=headers) as response:
                await response.read()
                return response.status
        except aiohttp.ClientError:
            return -1

    async def get(self, session: aiohttp.ClientSession, path: str) -> tuple[int, str]:
        """A request through nginx: its status and the instance(s) nginx tried."""
        try:
            async with session.get(f"http://127.0.0.1:{self.port}{path}") as response:
                await response.read()
                return response.status, response.headers.get(HEADER, "")
        except aiohttp.ClientError as exc:
            return -1, type(exc).__name__

    async def leaders(self, session: aiohttp.ClientSession) -> list[str]:
        return [c for c, i in self.colours.items() if await i.leads(session)]

    async def stop(self) -> None:
        if self.process is not None:
            await stop_process(self.process)
        await asyncio.gather(*(i.stop() for i in self.colours.values()))


async def _ready(rollout: Rollout, session: aiohttp.ClientSession) -> None:
    async def both_ready() -> bool:
        for instance in rollout.colours.values():
            if instance.metrics_port is None:
                return False
            url = f"http://127.0.0.1:{instance.metrics_port}/health/ready"
            try:
                async with session.get(url) as response:
                    if response.status != 200:
                        return False
            except aiohttp.ClientError:
                return False
        return True

    async with asyncio.timeout(30):
        while not (await both_ready() and len(await rollout.leaders(session)) == 1):
            await asyncio.sleep(0.1)


async def test_blue_green_switch_canary_split_and_a_failing_canary(
    tmp_path: Path, database_url: str, feed: FixtureServer
):
    redis = PrivateRedis(tmp_path)
    await redis.start()
    fake = FakeTelegram(limits=Limits(enabled=False))
    await fake.start()
    rollout = Rollout(tmp_path, database_url, redis.url, feed.url("kyiv.json"), fake)
    connector = aiohttp.TCPConnector(force_close=True)  # a device: a new connection per beat
    async with aiohttp.ClientSession(connector=connector) as session:
        try:
            await _scenario(rollout, session, fake)
        except BaseException:
            print("\n".join(i.tail() for i in rollout.colours.values()))
            raise
        finally:
            await rollout.stop()
            await redis.stop()
            await fake.stop()


async def _scenario(rollout: Rollout, session: aiohttp.ClientSession, fake: FakeTelegram) -> None:
    blue, green = rollout.address("blue"), rollout.address("green")
    await asyncio.gather(*(i.start() for i in rollout.colours.values()))
    await _ready(rollout, session)
    assert (await rollout.switch("blue", nginx="true"))[0] == 0  # the first upstream file
    await rollout.start_nginx(session)

    leaders_seen: list[list[str]] = []

    async def watch_leaders() -> None:
        while True:
            leaders_seen.append(await rollout.leaders(session))
            await asyncio.sleep(0.1)

    beats: list[tuple[int, str]] = []
    updates: list[int] = []
    chat = fake.create_user("Webhook user").id

    async def heartbeats() -> None:
        while True:
            beats.append(await rollout.get(session, f"/hb/{SECRET}"))
            if len(beats) % 10 == 0:  # and now and then an update through the webhook
                updates.append(await rollout.update(session, len(updates) + 1, chat))
            await asyncio.sleep(0.005)

    watcher = asyncio.create_task(watch_leaders())
    beating = asyncio.create_task(heartbeats())
    try:
        await asyncio.sleep(0.3)
        # a colour that is not ready is refused and nothing changes
        dead = rollout._switch_env("true") | {"ESVITLO_GREEN_READY": "http://127.0.0.1:9/"}
        process = await asyncio.create_subprocess_exec(
            "sh", str(DEPLOY / "esvitlo-switch"), "green", env=dead,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        out, _ = await process.communicate()
        assert process.returncode == 1 and b"green is not ready" in out
        assert green not in rollout.upstream.read_text()

        # blue-green: all traffic to green once its /health/ready passes; beats go on
        before_switch = len(beats)
        code, out = await rollout.switch("green")
        assert code == 0, out
        await asyncio.sleep(0.6)
    finally:
        beating.cancel()
    assert beats and all(status == 200 for status, _ in beats), Counter(beats)
    assert {who for _, who in beats[:before_switch]} == {blue}
    assert beats[-1][1] == green and {who for _, who in beats[-20:]} == {green}
    assert updates and all(status == 200 for status in updates), Counter(updates)
    async with asyncio.timeout(10):  # each update answered once, whichever colour took it
        while len(fake.messages_to(chat)) < len(updates):
            await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    assert len(fake.messages_to(chat)) == len(updates)

    # canary: 25 % to blue (the new version, say), 75 % to green
    code, out = await rollout.switch("canary", "blue", "25")
    assert code == 0, out
    await asyncio.sleep(0.2)  # the reloaded worker takes over
    answers = [await rollout.get(session, "/health") for _ in range(200)]
    assert all(status == 200 for status, _ in answers)
    split = Counter(who for _, who in answers)
    assert split.keys() == {blue, green}
    assert 40 <= split[blue] <= 60, split  # 25 % of 200 (smooth weighted round robin)

    # a failing canary: blue dies; nginx takes it out after one failure, nobody sees an error
    rollout.colours["blue"].kill()
    await rollout.colours["blue"].stop()
    answers = [await rollout.get(session, f"/hb/{SECRET}") for _ in range(60)]
    assert all(status == 200 for status, _ in answers), Counter(answers)
    assert all(who.endswith(green) for _, who in answers)
    assert sum(blue in who for _, who in answers) <= 1  # tried once, then left out

    async with asyncio.timeout(4 * TTL):
        while await rollout.leaders(session) != ["green"]:
            await asyncio.sleep(0.1)
    watcher.cancel()
    assert leaders_seen and all(len(seen) <= 1 for seen in leaders_seen), leaders_seen
    print(
        f"\nnginx rollout: {len(beats)} heartbeats and {len(updates)} webhook updates through "
        f"the switch, all 200; canary split "
        f"{dict(split)}; leader samples {len(leaders_seen)}, never two"
    )
