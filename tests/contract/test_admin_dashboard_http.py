"""The admin dashboard over HTTP on each SQL backend: no session, no page; a login link logs
in once and only while fresh; every form needs the session's CSRF token; a dead letter retried
is pending again, one dropped is settled; the pause switch; each action logged."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sql_backends import StepClock
from sqlalchemy import func, insert, select

from esvitlo.adapters.sql.admin_dashboard import SqlAdminDashboard
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.adapters.sql.tables import admin_logins, outbox
from esvitlo.domain.admin_sessions import COOKIE_NAME
from esvitlo.services.admin import AdminService
from esvitlo.services.admin_dashboard import AdminDashboard, DashboardSources
from esvitlo.services.breaker import BreakerState
from esvitlo.web import build_public_app

ADMIN = 42
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


@dataclass
class Rig:
    client: TestClient
    storage: SqlStorage
    clock: StepClock
    dashboard: AdminDashboard

    async def log_in(self) -> None:
        link = await self.dashboard.login_link(ADMIN)
        assert link is not None
        page = await self.client.get(urlsplit(link).path)
        token = re.search(r'name="token" value="([^"]+)"', await page.text())
        assert page.status == 200 and token is not None
        answer = await self.client.post(
            "/admin/login", data={"token": token[1]}, allow_redirects=False
        )
        assert answer.status == 303, await answer.text()

    async def csrf(self) -> str:
        page = await self.client.get("/admin")
        found = CSRF.search(await page.text())
        assert page.status == 200 and found is not None
        return found[1]


@pytest.fixture
async def rig(storage: SqlStorage, clock: StepClock) -> AsyncIterator[Rig]:
    admin = AdminService(
        frozenset({ADMIN}), storage.admin, storage.outbox, storage.app_flags, users=storage.users
    )
    breakers = {"kyiv": {"https://feed.example/kyiv.json": BreakerState.OPEN}}
    sources = DashboardSources(
        regions=lambda: ["kyiv"],
        watch_stats=dict,
        delivery=lambda: None,
        started_at=clock.now(),
        breakers=lambda: breakers,
    )
    dashboard = AdminDashboard(
        SqlAdminDashboard(storage.engine), admin, clock, sources, base_url="http://127.0.0.1/"
    )
    client = TestClient(TestServer(build_public_app(admin=dashboard)))
    await client.start_server()
    try:
        yield Rig(client, storage, clock, dashboard)
    finally:
        await client.close()


async def _dead_letter(storage: SqlStorage, chat_id: int, now: datetime) -> int:
    row = {
        "chat_id": chat_id,
        "kind": "text",
        "topic": f"t{chat_id}",
        "idempotency_key": f"k{chat_id}",
        "payload": {"text": "<b>hi</b>"},
        "status": "dead",
        "priority": 5,
        "due_at": now,
        "attempts": 5,
        "last_error": "<server said no>",
        "created_at": now,
    }
    async with storage.engine.begin() as conn:
        return int((await conn.execute(insert(outbox).values(row).returning(outbox.c.id))).scalar())


async def _row(storage: SqlStorage, message_id: int) -> tuple[str, int]:
    async with storage.engine.connect() as conn:
        found = (
            await conn.execute(
                select(outbox.c.status, outbox.c.attempts).where(outbox.c.id == message_id)
            )
        ).one()
    return str(found[0]), int(found[1])


async def test_no_session_no_page_and_a_link_logs_in_once(rig: Rig):
    assert (await rig.client.get("/admin")).status == 401
    forged = {COOKIE_NAME: f"{ADMIN}.9999999999.00"}
    assert (await rig.client.get("/admin", cookies=forged)).status == 401
    assert await rig.dashboard.login_link(7) is None  # not an admin: no link
    link = await rig.dashboard.login_link(ADMIN)
    assert link is not None and link.startswith("http://127.0.0.1/admin/login/")
    token = link.rsplit("/", 1)[1]
    await rig.client.get(urlsplit(link).path)  # a previewer's GET does not use the link up
    answer = await rig.client.post("/admin/login", data={"token": token}, allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/admin"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # the public URL is http here
    page = await rig.client.get("/admin")
    shown = await page.text()
    assert page.status == 200 and "Панель адміністратора" in shown
    assert "https://feed.example/kyiv.json: open" in shown  # each source's breaker
    assert page.headers["Cache-Control"] == "no-store"
    rig.client.session.cookie_jar.clear()
    again = await rig.client.post("/admin/login", data={"token": token}, allow_redirects=False)
    assert again.status == 403 and COOKIE_NAME not in again.cookies
    assert (await rig.client.get("/admin")).status == 401


async def test_an_expired_link_is_refused(rig: Rig):
    link = await rig.dashboard.login_link(ADMIN)
    assert link is not None
    rig.clock.advance(minutes=11)
    answer = await rig.client.post(
        "/admin/login", data={"token": link.rsplit("/", 1)[1]}, allow_redirects=False
    )
    assert answer.status == 403 and (await rig.client.get("/admin")).status == 401
    await rig.dashboard.login_link(ADMIN)  # a new link forgets the expired one
    async with rig.storage.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(admin_logins)) == 1


async def test_dead_letters_retried_or_dropped_with_csrf_and_logged(rig: Rig, caplog):
    caplog.set_level(logging.INFO, logger="esvitlo.admin")
    retried = await _dead_letter(rig.storage, 1001, rig.clock.now())
    dropped = await _dead_letter(rig.storage, 1002, rig.clock.now())
    await rig.log_in()
    page = await (await rig.client.get("/admin?lang=en")).text()
    assert f'id="dead-{retried}"' in page and "Dead letters: 2" in page
    assert "&lt;server said no&gt;" in page and "<server said no>" not in page
    no_csrf = await rig.client.post(f"/admin/dead/{retried}/retry", allow_redirects=False)
    wrong = await rig.client.post(
        f"/admin/dead/{retried}/retry", data={"csrf": "0" * 64}, allow_redirects=False
    )
    assert no_csrf.status == 403 and wrong.status == 403
    assert await _row(rig.storage, retried) == ("dead", 5)
    csrf = await rig.csrf()
    done = await rig.client.post(
        f"/admin/dead/{retried}/retry", data={"csrf": csrf}, allow_redirects=False
    )
    assert done.status == 303
    assert await _row(rig.storage, retried) == ("pending", 0)
    await rig.client.post(f"/admin/dead/{dropped}/drop", data={"csrf": csrf})
    assert (await _row(rig.storage, dropped))[0] == "dropped"
    await rig.client.post("/admin/pause", data={"csrf": csrf, "paused": "on"})
    assert await rig.storage.app_flags.get("pause_message") is not None
    await rig.client.post("/admin/pause", data={"csrf": csrf, "paused": "off"})
    assert await rig.storage.app_flags.get("pause_message") is None
    logged = caplog.text
    assert f"admin.action admin={ADMIN} action=retry_dead message={retried} done=True" in logged
    assert f"admin={ADMIN} action=drop_dead message={dropped}" in logged
    assert f"admin={ADMIN} action=pause" in logged and f"admin={ADMIN} action=resume" in logged
    rig.client.session.cookie_jar.clear()
    anonymous = await rig.client.post(f"/admin/dead/{dropped}/retry", data={"csrf": csrf})
    assert anonymous.status == 401


async def test_any_instance_signs_with_the_same_stored_key(rig: Rig):
    other = SqlAdminDashboard(rig.storage.engine)
    first = await SqlAdminDashboard(rig.storage.engine).signing_key(rig.clock.now())
    assert await other.signing_key(rig.clock.now()) == first and len(first) == 64


def test_the_cookie_is_secure_behind_https(rig: Rig):
    admin = AdminService(
        frozenset({ADMIN}), rig.storage.admin, rig.storage.outbox, rig.storage.app_flags
    )
    sources = DashboardSources(list, dict, lambda: None, rig.clock.now())
    store = SqlAdminDashboard(rig.storage.engine)
    secure = AdminDashboard(store, admin, rig.clock, sources, base_url="https://svitlo.example")
    assert secure.secure_cookie and not rig.dashboard.secure_cookie
