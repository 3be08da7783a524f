"""``/admin``: the admin dashboard on the public listener (see services.admin_dashboard).

``GET /admin/login/{token}`` shows a button that posts the token to ``POST /admin/login``,
which sets the session cookie (HttpOnly, SameSite=Strict, Secure when the public URL is
https) and redirects to ``/admin``. Without a valid session every page answers 401; every
form posts the session's CSRF token, and a POST without it answers 403. Pages are never
cached and send no referrer (the login link's token must not leak).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from esvitlo.domain.admin_sessions import COOKIE_NAME, SESSION_TTL, AdminSession
from esvitlo.domain.texts.admin_web import AdminWebTexts, admin_web_texts_for
from esvitlo.services.admin_dashboard import AdminDashboard
from esvitlo.web.status_pages import template_environment

HTML = "text/html; charset=utf-8"
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex",
}


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class AdminPages:
    """The handlers of ``/admin`` over an :class:`AdminDashboard`."""

    def __init__(self, dashboard: AdminDashboard) -> None:
        self._dashboard = dashboard
        self._env = template_environment()

    def register(self, app: web.Application) -> None:
        """Add the routes under ``/admin``."""
        app.router.add_get("/admin", self.overview)
        app.router.add_get("/admin/login/{token}", self.login_form)
        app.router.add_post("/admin/login", self.log_in)
        app.router.add_post("/admin/logout", self.log_out)
        app.router.add_post("/admin/pause", self.pause)
        app.router.add_post("/admin/dead/{id:\\d+}/{action:retry|drop}", self.dead_letter)

    def _page(self, template: str, status: int = 200, **values: Any) -> web.Response:
        body = self._env.get_template(template).render(**values)
        return web.Response(
            text=body, status=status, content_type="text/html", headers=PRIVATE_HEADERS
        )

    def _refused(self, texts: AdminWebTexts, status: int) -> web.Response:
        return self._page("admin_login.html", status, t=texts, token=None)

    async def _session(self, request: web.Request) -> AdminSession | None:
        return await self._dashboard.session(request.cookies.get(COOKIE_NAME))

    async def overview(self, request: web.Request) -> web.Response:
        """``GET /admin``: the whole dashboard, for a signed-in admin only."""
        texts = admin_web_texts_for(request.query.get("lang"))
        cookie = request.cookies.get(COOKIE_NAME, "")
        if await self._dashboard.session(cookie) is None:
            return self._refused(texts, 401)
        found = await self._dashboard.overview()

        def age(since: datetime) -> str:
            return texts.minutes_ago.format(minutes=int((found.now - since).total_seconds() // 60))

        return self._page(
            "admin.html",
            t=texts,
            o=found,
            csrf=await self._dashboard.csrf_token(cookie),
            other_suffix="" if texts.lang == "en" else "?lang=en",
            stamp=_stamp,
            age=age,
        )

    async def login_form(self, request: web.Request) -> web.Response:
        """``GET /admin/login/{token}``: a button that uses the link (a previewer's GET
        does not)."""
        texts = admin_web_texts_for(request.query.get("lang"))
        return self._page("admin_login.html", t=texts, token=request.match_info["token"])

    async def log_in(self, request: web.Request) -> web.Response:
        """``POST /admin/login``: use the token up and set the session cookie."""
        form = await request.post()
        texts = admin_web_texts_for(str(form.get("lang", "")))
        cookie = await self._dashboard.log_in(str(form.get("token", "")))
        if cookie is None:
            return self._refused(texts, 403)
        response = self._back(texts)
        response.set_cookie(
            COOKIE_NAME,
            cookie,
            max_age=int(SESSION_TTL.total_seconds()),
            path="/admin",
            httponly=True,
            secure=self._dashboard.secure_cookie,
            samesite="Strict",
        )
        return response

    def _back(self, texts: AdminWebTexts) -> web.Response:
        location = "/admin?lang=en" if texts.lang == "en" else "/admin"
        return web.Response(status=303, headers={"Location": location, **PRIVATE_HEADERS})

    async def _checked(self, request: web.Request) -> tuple[AdminSession, Any]:
        """The session and form of a POST; 401 without a session, 403 without its CSRF token."""
        cookie = request.cookies.get(COOKIE_NAME, "")
        session = await self._dashboard.session(cookie)
        if session is None:
            raise web.HTTPUnauthorized(text="no admin session")
        form = await request.post()
        sent = form.get("csrf")
        if not await self._dashboard.csrf_valid(cookie, sent if isinstance(sent, str) else None):
            raise web.HTTPForbidden(text="missing or wrong CSRF token")
        return session, form

    async def log_out(self, request: web.Request) -> web.Response:
        """``POST /admin/logout``: forget the cookie."""
        session, form = await self._checked(request)
        response = self._back(admin_web_texts_for(str(form.get("lang", ""))))
        response.del_cookie(COOKIE_NAME, path="/admin")
        await self._dashboard.log_out(session.telegram_id)
        return response

    async def pause(self, request: web.Request) -> web.Response:
        """``POST /admin/pause``: ``paused=on`` pauses the bot for users, ``off`` resumes."""
        session, form = await self._checked(request)
        await self._dashboard.set_paused(session.telegram_id, form.get("paused") == "on")
        return self._back(admin_web_texts_for(str(form.get("lang", ""))))

    async def dead_letter(self, request: web.Request) -> web.Response:
        """``POST /admin/dead/{id}/retry|drop``."""
        session, form = await self._checked(request)
        message_id = int(request.match_info["id"])
        if request.match_info["action"] == "retry":
            await self._dashboard.retry(session.telegram_id, message_id)
        else:
            await self._dashboard.drop(session.telegram_id, message_id)
        return self._back(admin_web_texts_for(str(form.get("lang", ""))))
