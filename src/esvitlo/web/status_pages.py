"""The public status pages on the public listener, server-rendered with Jinja2 (autoescape).

``/`` lists the regions, ``/r/{region}`` a region's queues, ``/r/{region}/{queue}`` a queue's
today and tomorrow (inline SVG, outage list with durations, the next change with a countdown,
the data's freshness, the emergency state) and ``/r/{region}/{queue}.png`` the schedule
image the page's Open Graph tags point to. Ukrainian by default, English with ``?lang=en``.
The pages work without JavaScript; a few lines of it count down and reload the page when the
schedule's version (the ``X-Schedule-Version`` header) changes, asked every ``refresh``
seconds (``ESVITLO_PAGE_REFRESH``). Pages are cached briefly, never longer than that interval
(a reader's poll would otherwise meet the old copy), and answered with ETags (304 when
unchanged).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from esvitlo.domain.crowd import CrowdRules, QueueOthers
from esvitlo.domain.crowd_status import crowd_line, crowd_verdict
from esvitlo.domain.texts import language_code, web_texts_for
from esvitlo.domain.texts.web import WebTexts
from esvitlo.services.public_schedules import PublicSchedules
from esvitlo.web.page_cache import DEFAULT_TTL, PageCache, Rendered, rendered, respond

HTML = "text/html; charset=utf-8"
PAGE_CACHE_CONTROL = "public, max-age=30"
IMAGE_CACHE_CONTROL = "public, max-age=600"
DEFAULT_REFRESH = 60.0
logger = logging.getLogger("esvitlo.web")

CrowdReader = Callable[[str, str], Awaitable[QueueOthers]]
"""Every user's monitors of a (region, queue), counted (``QueueOthersLookup.everyone``)."""


def template_environment() -> Environment:
    """Templates shipped in ``esvitlo/web/templates``; every value escaped."""
    return Environment(
        loader=PackageLoader("esvitlo.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True, slots=True)
class Language:
    """The page's language, the query suffix its links carry and the other language's."""

    code: str
    suffix: str
    other_suffix: str


def page_language(request: web.Request) -> Language:
    """The language the query asks for (Ukrainian unless ``?lang=en``) and its links' suffixes."""
    code = language_code(request.query.get("lang"))
    return Language(code, "?lang=en" if code == "en" else "", "" if code == "en" else "?lang=en")


class StatusPages:
    """The handlers of the status pages over :class:`PublicSchedules`."""

    def __init__(
        self,
        schedules: PublicSchedules,
        *,
        base_url: str = "",
        cache: PageCache | None = None,
        refresh: float = DEFAULT_REFRESH,
        crowd: CrowdReader | None = None,
        crowd_rules: CrowdRules | None = None,
    ) -> None:
        self._schedules = schedules
        self._crowd = crowd
        self._crowd_rules = crowd_rules or CrowdRules()
        self._base = base_url.rstrip("/")
        self._cache = cache or PageCache(min(DEFAULT_TTL, refresh))
        self._refresh_ms = round(refresh * 1000)
        self._env = template_environment()

    def register(self, app: web.Application) -> None:
        """Add the routes (none clashes with /health, /hb/, /api/, /calendar/, /metrics)."""
        app.router.add_get("/", self.regions)
        app.router.add_get("/r/{region}", self.region)
        app.router.add_get("/r/{region}/{name}", self.queue)

    def _html(self, template: str, status: int = 200, **values: Any) -> Rendered:
        body = self._env.get_template(template).render(**values).encode()
        return rendered(body, HTML, status=status)

    def _not_found(self, lang: Language) -> Rendered:
        web_texts = web_texts_for(lang.code)
        return self._html("not_found.html", 404, t=web_texts, lang=lang, path="/")

    async def regions(self, request: web.Request) -> web.Response:
        """``/``: every region, those without a schedule saying so."""
        lang = page_language(request)

        async def render() -> Rendered:
            entries = self._schedules.regions(lang.code)
            return self._html(
                "regions.html", t=web_texts_for(lang.code), lang=lang, regions=entries, path="/"
            )

        page = await self._cache.get(f"regions|{lang.code}", render)
        return respond(request, page, PAGE_CACHE_CONTROL)

    async def region(self, request: web.Request) -> web.Response:
        """``/r/{region}``: the region's queues, or why there are none."""
        lang = page_language(request)
        region_id = request.match_info["region"]

        async def render() -> Rendered:
            found = await self._schedules.region(region_id, lang.code)
            if found is None:
                return self._not_found(lang)
            return self._html(
                "region.html",
                t=web_texts_for(lang.code),
                lang=lang,
                found=found,
                path=request.path,
            )

        page = await self._cache.get(f"region|{region_id}|{lang.code}", render)
        return respond(request, page, PAGE_CACHE_CONTROL)

    async def queue(self, request: web.Request) -> web.Response:
        """``/r/{region}/{queue}`` (the page) or ``/r/{region}/{queue}.png`` (its image)."""
        lang = page_language(request)
        region_id, name = request.match_info["region"], request.match_info["name"]
        if name.endswith(".png"):
            return await self._image(request, region_id, name.removesuffix(".png"), lang)

        async def render() -> Rendered:
            found = await self._schedules.queue(region_id, name, lang.code)
            if found is None:
                return self._not_found(lang)
            canonical = f"{self._base}/r/{found.region.id}/{found.queue}"
            image = f"{canonical}.png{lang.suffix}"
            texts = web_texts_for(lang.code)
            page = self._html(
                "queue.html",
                t=texts,
                crowd=await self._crowd_line(found.region.id, found.queue, texts),
                lang=lang,
                found=found,
                page=found.page,
                chart=Markup(found.svg),  # noqa: S704 - built escaped by domain.schedule_svg
                image=image if self._schedules.draws_images else None,
                url=f"{canonical}{lang.suffix}",
                path=request.path,
                refresh_ms=self._refresh_ms,
            )
            headers = {"X-Schedule-Version": found.version}
            return rendered(page.body, HTML, headers=headers)

        page = await self._cache.get(f"queue|{region_id}|{name}|{lang.code}", render)
        return respond(request, page, PAGE_CACHE_CONTROL)

    async def _crowd_line(self, region: str, queue: str, texts: WebTexts) -> str | None:
        """What the queue's monitors say now; None below the privacy floor, without a reader,
        or when the read fails (the schedule page is served all the same)."""
        if self._crowd is None:
            return None
        try:
            everyone = await self._crowd(region, queue)
        except Exception:  # a failed read hides the line, never the page
            logger.warning("status_page.crowd_failed region=%s queue=%s", region, queue)
            return None
        verdict = crowd_verdict(everyone, self._crowd_rules)
        return None if verdict is None else crowd_line(verdict, texts)

    async def _image(
        self, request: web.Request, region_id: str, queue: str, lang: Language
    ) -> web.Response:
        found = await self._schedules.queue_png(region_id, queue, lang.code)
        if found is None:
            return respond(request, self._not_found(lang), "no-store")
        body, version = found
        return respond(request, rendered(body, "image/png", etag=version), IMAGE_CACHE_CONTROL)
