"""HTTP for address lookups: one paced session per source, answers mapped to lookup errors."""

from __future__ import annotations

import json
from collections.abc import Mapping

import aiohttp

from esvitlo.adapters.http_source import USER_AGENT
from esvitlo.ports import LookupNotFound, LookupRefused, LookupUnavailable, RequestPacer

MAX_BODY = 4 * 1024 * 1024
_REFUSALS = frozenset({401, 403, 405, 406, 418, 451})


class LookupHttp:
    """GET and POST for one operator: each request waits its turn with the pacer, is bounded
    by ``timeout`` seconds and keeps the session's cookies (a site's session cookie).

    404 is LookupNotFound; 401/403 and an answer that is not the JSON asked for are
    LookupRefused (bot protection answers with a challenge page); timeouts, network errors,
    429 and 5xx are LookupUnavailable.
    """

    def __init__(
        self, operator: str, pacer: RequestPacer, *, timeout: float = 10.0, user_agent: str = ""
    ) -> None:
        self.operator = operator
        self._pacer = pacer
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._user_agent = user_agent or USER_AGENT
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self._timeout,
                headers={"User-Agent": self._user_agent},
                cookie_jar=aiohttp.CookieJar(unsafe=True),
            )
        return self._session

    async def close(self) -> None:
        """Close the session; the next request opens a new one."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def text(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[str, str]:
        """The body of an answer as text, and its content type."""
        await self._pacer.wait_turn(self.operator)
        try:
            async with self._client().request(
                method, url, params=params, data=data, headers=headers, allow_redirects=False
            ) as response:
                _check_status(response.status, url)
                body = await response.content.read(MAX_BODY + 1)
                if len(body) > MAX_BODY:
                    raise LookupRefused(f"{url}: answer over {MAX_BODY} bytes")
                charset = response.charset or "utf-8"
                return body.decode(charset, errors="replace"), response.content_type
        except TimeoutError as exc:
            raise LookupUnavailable(f"{url}: timed out") from exc
        except aiohttp.ClientError as exc:
            raise LookupUnavailable(f"{url}: {type(exc).__name__}") from exc

    async def json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> object:
        """The answer parsed as JSON; anything else (a challenge page) is a refusal."""
        body, _ = await self.text(method, url, params=params, data=data, headers=headers)
        try:
            return json.loads(body)
        except ValueError as exc:
            raise LookupRefused(f"{url}: the answer is not JSON") from exc


def _check_status(status: int, url: str) -> None:
    if status == 404:
        raise LookupNotFound(f"{url}: 404")
    if status in _REFUSALS or 300 <= status < 400:
        raise LookupRefused(f"{url}: {status}")
    if status == 429 or status >= 500:
        raise LookupUnavailable(f"{url}: {status}")
    if status >= 400:
        raise LookupRefused(f"{url}: {status}")
