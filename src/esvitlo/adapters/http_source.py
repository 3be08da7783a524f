"""Schedule documents over HTTP with aiohttp: conditional GET, timeouts, retries, size cap."""

from __future__ import annotations

import logging
from types import TracebackType

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from esvitlo import __version__
from esvitlo.domain.catalogue import display_url
from esvitlo.ports import Fetched, SourceUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = f"esvitlo-monitor/{__version__}"
DEFAULT_MAX_BODY = 8 * 1024 * 1024
_CHUNK = 64 * 1024


class _Transient(Exception):
    """A failure worth another attempt: network error, timeout, 5xx or 429."""


class HttpScheduleSource:
    """Fetches schedule documents with one shared aiohttp session (create lazily, ``close``).

    Each attempt is bounded by ``timeout`` seconds in total; network errors, timeouts, 5xx and
    429 are retried up to ``attempts`` tries in all, waiting ``backoff`` * 2**n seconds (at
    most ``backoff_max``, plus up to ``backoff_jitter``) between them. Other 4xx and bodies
    over ``max_body`` bytes fail at once. Every failure surfaces as ``SourceUnavailable``.
    """

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        attempts: int = 3,
        backoff: float = 1.0,
        backoff_max: float = 30.0,
        backoff_jitter: float = 1.0,
        max_body: int = DEFAULT_MAX_BODY,
        user_agent: str = USER_AGENT,
    ) -> None:
        if timeout <= 0 or attempts < 1 or max_body < 1:
            raise ValueError("timeout and max_body must be positive and attempts >= 1")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._attempts = attempts
        self._wait = wait_exponential(multiplier=backoff, max=backoff_max) + wait_random(
            0, backoff_jitter
        )
        self._max_body = max_body
        self._headers = {"User-Agent": user_agent, "Accept": "application/json, */*;q=0.5"}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> HttpScheduleSource:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the shared session; a later fetch opens a new one."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def fetch(self, url: str, etag: str | None = None) -> Fetched:
        """GET ``url`` (conditionally when ``etag`` is given); 304 gives ``body=None``."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            before_sleep=lambda state: _log_retry(url, state),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._fetch_once(url, etag)
        except _Transient as exc:
            tries = "1 attempt" if self._attempts == 1 else f"{self._attempts} attempts"
            raise SourceUnavailable(f"{display_url(url)}: {exc} (gave up after {tries})") from None
        raise AssertionError("unreachable: the retry loop returns or raises")

    def _session_for_fetch(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._headers)
        return self._session

    async def _fetch_once(self, url: str, etag: str | None) -> Fetched:
        headers = {"If-None-Match": etag} if etag else {}
        try:
            async with self._session_for_fetch().get(url, headers=headers) as response:
                return await self._read(url, response, etag)
        except aiohttp.InvalidURL as exc:
            raise SourceUnavailable(f"invalid URL {display_url(url)}: {exc}") from None
        except TimeoutError:
            raise _Transient(f"timed out after {self._timeout.total} s") from None
        except aiohttp.ClientError as exc:
            raise _Transient(network_reason(exc)) from None

    async def _read(self, url: str, response: aiohttp.ClientResponse, etag: str | None) -> Fetched:
        status = response.status
        if status == 304:
            return Fetched(body=None, etag=response.headers.get("ETag", etag))
        if status == 429 or status >= 500:
            raise _Transient(f"HTTP {status} {response.reason or ''}".rstrip())
        if status >= 400 or status < 200:
            raise SourceUnavailable(f"{display_url(url)}: HTTP {status} {response.reason or ''}")
        length = response.content_length
        if length is not None and length > self._max_body:
            raise self._too_big(url)
        body = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            body += chunk
            if len(body) > self._max_body:
                raise self._too_big(url)
        return Fetched(body=bytes(body), etag=response.headers.get("ETag"))

    def _too_big(self, url: str) -> SourceUnavailable:
        return SourceUnavailable(f"{display_url(url)}: body larger than {self._max_body} bytes")


def network_reason(exc: aiohttp.ClientError) -> str:
    """A short reason for a failed request, without the library's internals."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return "could not resolve the name"
    if isinstance(exc, aiohttp.ClientSSLError):
        return "TLS error"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"could not connect: {exc.os_error.strerror or type(exc.os_error).__name__}"
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return "the server closed the connection"
    return f"{type(exc).__name__}: {exc}"[:200]


def _log_retry(url: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    logger.info(
        "schedule.fetch_retry url=%s attempt=%d wait_s=%.2f error=%s",
        display_url(url),
        state.attempt_number,
        wait,
        error,
    )
