"""Run-time settings: intervals and the power debounce an admin changes without a restart.

Values live in the ``app_flags`` table (``setting:<name>``) and win over the environment's.
A change is stored, applied here at once and announced to the other instances (cluster
event ``runtime``), which re-read the table and apply it too; every instance also re-reads
it every ``resync`` seconds, since an event may be lost while the coordinator is
unreachable. The watches read the new values on their next cycle.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress

from esvitlo.domain.runtime_settings import (
    FLAG_PREFIX,
    RULES,
    RuntimeValues,
    rule_for,
)
from esvitlo.ports import AppFlags, Clock
from esvitlo.services.cluster_events import ClusterEvents

logger = logging.getLogger(__name__)

Apply = Callable[[RuntimeValues], None]


class RuntimeSettings:
    """The values in force on this instance, over the environment's ``defaults``."""

    def __init__(
        self,
        flags: AppFlags,
        defaults: RuntimeValues,
        clock: Clock,
        *,
        apply: Apply | None = None,
        events: ClusterEvents | None = None,
        resync: float = 300.0,
    ) -> None:
        self._flags = flags
        self._defaults = defaults
        self._clock = clock
        self._apply = apply
        self._events = events
        self._resync = resync
        self._current = defaults
        self._stored: frozenset[str] = frozenset()
        self._task: asyncio.Task[None] | None = None
        self._applied = False

    @property
    def current(self) -> RuntimeValues:
        """The values in force."""
        return self._current

    @property
    def defaults(self) -> RuntimeValues:
        """The environment's values (what a reset goes back to)."""
        return self._defaults

    @property
    def stored(self) -> frozenset[str]:
        """Names whose value comes from the table rather than the environment."""
        return self._stored

    async def start(self) -> None:
        """Read the stored values, listen for changes on other instances, re-read now and then."""
        await self.reload()
        if self._events is not None:
            await self._events.on_runtime_changed(self.reload)
        if self._task is None and self._resync > 0:
            self._task = asyncio.create_task(self._resync_loop(), name="runtime-settings")

    async def stop(self) -> None:
        """Stop re-reading; idempotent."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def reload(self) -> RuntimeValues:
        """Read the table and apply what changed; a stored value out of bounds is logged and
        ignored (the environment's value stays)."""
        texts: dict[str, str] = {}
        for name in RULES:
            text = await self._flags.get(FLAG_PREFIX + name)
            if text is not None:
                texts[name] = text
        values, refused = self._defaults.with_stored(texts)
        for name in refused:
            logger.warning("runtime_settings.refused name=%s value=%r", name, texts[name])
        self._stored = frozenset(texts) - frozenset(refused)
        if values != self._current or not self._applied:
            self._use(values)
        return values

    async def change(self, name: str, text: str) -> RuntimeValues:
        """Store a setting's new value, apply it and tell the other instances; raises
        ``InvalidSetting`` (nothing stored) for an unknown name or a value out of bounds."""
        rule = rule_for(name)
        value = rule.parse(text)
        await self._flags.set(FLAG_PREFIX + rule.name, str(value))
        logger.info("runtime_settings.changed name=%s value=%s", rule.name, value)
        return await self._announce()

    async def reset(self, name: str) -> RuntimeValues:
        """Forget a stored value, so the environment's applies again (everywhere)."""
        rule = rule_for(name)
        await self._flags.set(FLAG_PREFIX + rule.name, None)
        logger.info("runtime_settings.reset name=%s", rule.name)
        return await self._announce()

    async def _announce(self) -> RuntimeValues:
        values = await self.reload()
        if self._events is not None:
            await self._events.runtime_changed()
        return values

    def _use(self, values: RuntimeValues) -> None:
        self._current, self._applied = values, True
        if self._apply is not None:
            self._apply(values)
        logger.info(
            "runtime_settings.applied %s",
            " ".join(f"{name}={value}" for name, value in values.as_dict().items()),
        )

    async def _resync_loop(self) -> None:
        while True:
            await self._clock.sleep(self._resync)
            try:
                await self.reload()
            except Exception as exc:  # the database may be briefly away; try again later
                logger.warning("runtime_settings.reload_failed error=%r", exc)
