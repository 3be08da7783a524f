"""``/m/<token>``: a power monitor's read-only page, and ``/m/<token>.png`` its week chart.

The token is the page's own secret (see :mod:`esvitlo.domain.monitor_pages`), not the
heartbeat's: reading the page never lets anyone beat for the monitor. An unknown or retired
token gets the same 404 as any missing page. Answers are never stored by caches
(``private, no-store``) and never leak their address in a Referer (``no-referrer``); the
page refreshes itself every minute, without JavaScript.
"""

from __future__ import annotations

from aiohttp import web

from esvitlo.domain.monitor_pages import PAGE_PREFIX
from esvitlo.domain.texts import web_texts_for
from esvitlo.services.monitor_pages import MonitorPages
from esvitlo.web.status_pages import HTML, page_language, template_environment

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}
REFRESH_SECONDS = 60


def add_monitor_page_routes(app: web.Application, pages: MonitorPages) -> None:
    """Serve the monitors' pages and their charts on ``app``."""
    env = template_environment()

    async def monitor_page(request: web.Request) -> web.Response:
        lang = page_language(request)
        t = web_texts_for(lang.code)
        name = request.match_info["token"]
        token = name.removesuffix(".png")
        found = await pages.page(token, lang.code)
        if found is None:
            body = env.get_template("not_found.html").render(t=t, lang=lang, path="/")
            return web.Response(text=body, status=404, content_type="text/html")
        if name.endswith(".png"):
            png = await pages.week_png(found)
            return web.Response(body=png, content_type="image/png", headers=PRIVATE_HEADERS)
        body = env.get_template("monitor.html").render(
            t=t,
            lang=lang,
            found=found,
            path=request.path,
            chart=f"{request.path}.png{lang.suffix}",
            refresh=REFRESH_SECONDS,
        )
        return web.Response(body=body.encode(), headers={**PRIVATE_HEADERS, "Content-Type": HTML})

    app.router.add_get(PAGE_PREFIX + "{token}", monitor_page)
