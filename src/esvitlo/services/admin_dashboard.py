"""The admin dashboard behind ``/admin``: one-time login links, sessions, the overview and
the admin's actions (retry or drop a dead letter, pause or resume the bot).

Login: an admin sends ``/dashboard`` to the bot and gets a link with a random token, valid
for ``LOGIN_TTL`` and once only (its hash is stored, see ports.AdminDashboardStore). The
link's page posts the token back (so a link previewer that fetches it does not use it up);
the answer sets a session cookie signed with the key all instances share. Every action is
logged as ``admin.action admin=<telegram id> action=<name> ...``.

What each instance knows: the figures in the database (outbox, dead letters, counts, each
region's last stored change, the pause switch) are the same on every instance; the schedule
watch's counters (runs, failures, last error) and the sender's (sent, 429s) are this
instance's own, and only the leader runs the watch, so a follower shows the stored figures.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from esvitlo.domain.accounts import AdminStats
from esvitlo.domain.admin_messages import pause_flag
from esvitlo.domain.admin_sessions import (
    LOGIN_TTL,
    SESSION_TTL,
    AdminSession,
    csrf_token,
    csrf_valid,
    read_session,
    sign_session,
    token_hash,
)
from esvitlo.ports import Clock
from esvitlo.ports.admin_dashboard import AdminDashboardStore, DeadLetter, OutboxFigures
from esvitlo.services.admin import AdminService, SystemInfo
from esvitlo.services.breaker import BreakerState
from esvitlo.services.delivery_outcomes import DeliveryStats
from esvitlo.services.schedule_watch import RegionStats

logger = logging.getLogger("esvitlo.admin")

DEAD_LETTERS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One region on the dashboard: its last stored change and this instance's check stats
    (None on an instance that does not run the watch)."""

    region: str
    last_update: datetime | None
    checks: RegionStats | None
    breakers: Mapping[str, BreakerState] = field(default_factory=dict)  # by source, shown


@dataclass(frozen=True, slots=True)
class Overview:
    """Everything the dashboard page shows."""

    now: datetime
    system: SystemInfo | None
    regions: list[RegionRow]
    outbox: OutboxFigures
    dead_letters: list[DeadLetter]
    delivery: DeliveryStats | None
    send_rate_per_min: float | None
    stats: AdminStats
    monitors: int
    paused: bool


@dataclass(frozen=True, slots=True)
class DashboardSources:
    """This instance's live figures, read when the page is drawn."""

    regions: Callable[[], list[str]]
    watch_stats: Callable[[], Mapping[str, RegionStats]]
    delivery: Callable[[], DeliveryStats | None]
    started_at: datetime
    breakers: Callable[[], Mapping[str, Mapping[str, BreakerState]]] = dict  # by region, source


class AdminDashboard:
    """Logins, sessions, the overview and the actions of ``/admin``."""

    def __init__(
        self,
        store: AdminDashboardStore,
        admin: AdminService,
        clock: Clock,
        sources: DashboardSources,
        *,
        base_url: str,
        signing_key: str | None = None,
    ) -> None:
        self._store = store
        self._admin = admin
        self._clock = clock
        self._sources = sources
        self._base = base_url.rstrip("/")
        self._key = signing_key.encode() if signing_key else None
        self.secure_cookie = self._base.startswith("https://")

    async def _signing_key(self) -> bytes:
        if self._key is None:
            self._key = (await self._store.signing_key(self._clock.now())).encode()
        return self._key

    async def login_link(self, telegram_id: int) -> str | None:
        """A one-time login link for an admin; None for anybody else."""
        if not self._admin.is_admin(telegram_id):
            return None
        token = secrets.token_urlsafe(32)
        now = self._clock.now()
        await self._store.add_login(token_hash(token), telegram_id, now + LOGIN_TTL, now)
        logger.info("admin.action admin=%d action=login_link", telegram_id)
        return f"{self._base}/admin/login/{token}"

    async def log_in(self, token: str) -> str | None:
        """Use a login token up; the session cookie's value, or None when refused."""
        now = self._clock.now()
        telegram_id = await self._store.use_login(token_hash(token), now)
        if telegram_id is None or not self._admin.is_admin(telegram_id):
            logger.warning("admin.login_refused")
            return None
        logger.info("admin.action admin=%d action=log_in", telegram_id)
        return sign_session(await self._signing_key(), AdminSession(telegram_id, now + SESSION_TTL))

    async def log_out(self, telegram_id: int) -> None:
        """Log that an admin left (the cookie is forgotten by the browser)."""
        logger.info("admin.action admin=%d action=log_out", telegram_id)

    async def session(self, cookie: str | None) -> AdminSession | None:
        """The admin a cookie signs in, while they are still a configured admin."""
        found = read_session(await self._signing_key(), cookie, self._clock.now())
        return found if found is not None and self._admin.is_admin(found.telegram_id) else None

    async def csrf_token(self, cookie: str) -> str:
        """The token every form of this session carries."""
        return csrf_token(await self._signing_key(), cookie)

    async def csrf_valid(self, cookie: str, sent: str | None) -> bool:
        """Whether a posted form carries this session's token."""
        return csrf_valid(await self._signing_key(), cookie, sent)

    async def overview(self) -> Overview:
        """Read every figure the page shows."""
        now = self._clock.now()
        sources = self._sources
        updates = await self._store.last_updates()
        checks = sources.watch_stats()
        breakers = sources.breakers()
        delivery = sources.delivery()
        minutes = (now - sources.started_at).total_seconds() / 60
        return Overview(
            now=now,
            system=await self._admin.system_info(),
            regions=[
                RegionRow(region, updates.get(region), checks.get(region), breakers.get(region, {}))
                for region in sources.regions()
            ],
            outbox=await self._store.outbox_figures(),
            dead_letters=await self._store.dead_letters(DEAD_LETTERS_SHOWN),
            delivery=delivery,
            send_rate_per_min=delivery.sent / minutes if delivery and minutes > 0 else None,
            stats=await self._admin.stats(),
            monitors=await self._store.monitor_count(),
            paused=await self._admin.pause_message() is not None,
        )

    async def retry(self, admin_id: int, message_id: int) -> bool:
        """Make a dead letter pending again (the sender takes it at once)."""
        done = await self._store.retry_dead(message_id, self._clock.now())
        logger.info(
            "admin.action admin=%d action=retry_dead message=%d done=%s", admin_id, message_id, done
        )
        return done

    async def drop(self, admin_id: int, message_id: int) -> bool:
        """Settle a dead letter for good."""
        done = await self._store.drop_dead(message_id)
        logger.info(
            "admin.action admin=%d action=drop_dead message=%d done=%s", admin_id, message_id, done
        )
        return done

    async def set_paused(self, admin_id: int, paused: bool) -> None:
        """Pause the bot for users (the maintenance message) or resume it."""
        await self._admin.set_pause(pause_flag(None) if paused else None)
        logger.info("admin.action admin=%d action=%s", admin_id, "pause" if paused else "resume")
