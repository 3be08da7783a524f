"""The power watch: probes routers and reads heartbeats every cycle, confirms changes with
the debounced state machine, and stores each change with its alerts in one transaction.

Each cycle reloads the monitors (so added, removed and re-linked ones are picked up without
events) and takes only those this instance owns (``owned``: the coordinator's sharding
over live instances; all of them when the instance is alone). Probes are spread over the cycle by
:class:`ProbeCycle`. A probe that could not be made (DNS down, a name now pointing at a
private address) is neither an answer nor a miss. The schedule of each region is read at
most once a cycle, and only when a change needs it for the alert's text.

Each observation goes to the state machine with the monitor's period (how far apart its
observations come): a heartbeat's own period, or the probe cycle as it really runs (the
interval, or the time the cycles take when they run longer), so neither a long heartbeat
period nor a slow cycle can keep a change from being counted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from esvitlo.domain.addresses import InvalidTarget, MonitorTarget, parse_target
from esvitlo.domain.catalogue import Region
from esvitlo.domain.crowd import CrowdRules, OthersVerdict, QueueOthers, others_verdict
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.monitors import MonitorKind, PowerMessage, WatchedMonitor
from esvitlo.domain.power import Debounce, Power, PowerState, heartbeat_misses, observe
from esvitlo.domain.power_render import power_messages
from esvitlo.domain.probing import ProbeResult, ProbeVerdict
from esvitlo.domain.timeline import UNKNOWN, Timeline, build_timeline
from esvitlo.ports import Clock, PowerStore, Prober, ScheduleStore
from esvitlo.services.probe_cycle import ProbeCycle
from esvitlo.services.repeating import Repeating

logger = logging.getLogger("esvitlo.power")

DEFAULT_ZONE = "Europe/Kyiv"


@dataclass(slots=True)
class PowerWatchStats:
    """What the watch did since it started, for /metrics and the logs."""

    cycles: int = 0
    probes: dict[str, int] = field(default_factory=dict)  # by verdict
    transitions: dict[str, int] = field(default_factory=dict)  # by new power
    lost_races: int = 0
    last_cycle_s: float = 0.0
    monitors: int = 0


@dataclass(slots=True)
class _Tracked:
    """A monitor during one cycle: who hears of it, its state and the version it was read at."""

    watched: WatchedMonitor
    version: int

    @property
    def state(self) -> PowerState:
        return self.watched.monitor.state


class PowerWatch:
    """Runs probe and heartbeat cycles for the monitors this instance owns."""

    def __init__(
        self,
        store: PowerStore,
        prober: Prober,
        schedules: ScheduleStore,
        regions: Sequence[Region],
        clock: Clock,
        *,
        interval: float = 30.0,
        concurrency: int = 500,
        debounce: Debounce | None = None,
        owned: Callable[[Sequence[int]], Awaitable[Collection[int]]] | None = None,
        others: Callable[[str, str, int], Awaitable[QueueOthers]] | None = None,
        crowd_rules: CrowdRules | None = None,
    ) -> None:
        self._store = store
        self._schedules = schedules
        self._zones = {region.id: ZoneInfo(region.tz) for region in regions}
        self._clock = clock
        self._interval = interval
        self._debounce = debounce or Debounce()
        self._owned = owned
        self._others = others  # the queue's other monitors, for "only you or the queue?"
        self._crowd_rules = crowd_rules or CrowdRules()
        self._cycle = ProbeCycle[int](prober, clock, interval, concurrency)
        self._tracked: dict[int, _Tracked] = {}
        self._beats_checked: dict[int, datetime] = {}
        self._days: dict[str, Mapping[str, Mapping[date, DaySchedule]] | None] = {}
        self._loop = Repeating(
            self.run_cycle,
            clock,
            lambda: self._interval,
            name="power-watch",
            failure_event="power.cycle_failed",
        )
        self._cycle_started: datetime | None = None
        self._previous_cycle_s = 0.0
        self.stats = PowerWatchStats()

    @property
    def interval(self) -> float:
        """Seconds a probe cycle lasts at least."""
        return self._interval

    @property
    def debounce(self) -> Debounce:
        """How many observations in a row confirm a change."""
        return self._debounce

    def set_interval(self, interval: float) -> None:
        """Probe every ``interval`` seconds from the next cycle on."""
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._interval = self._cycle.interval = interval

    def set_debounce(self, debounce: Debounce) -> None:
        """Confirm changes with ``debounce`` from the next observation on."""
        self._debounce = debounce

    def phase_of(self, monitor_id: int) -> float:
        """Seconds after a cycle's start at which the monitor is probed."""
        return self._cycle.phase_of(monitor_id)

    async def start(self) -> None:
        """Run cycles in the background until :meth:`stop`."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop, cancelling the one in progress (what it saved stays saved)."""
        await self._loop.stop()

    async def run_cycle(self) -> None:
        """One cycle: reload the owned monitors, read heartbeats, probe every address once."""
        started = self._cycle_started = self._clock.now()
        self._days = {}
        try:
            await self._load()
            await self._check_heartbeats()
            probes = self._probe_targets()
            await self._cycle.run(probes, self._on_probe)
        finally:
            self._previous_cycle_s = (self._clock.now() - started).total_seconds()
        self.stats.cycles += 1
        self.stats.last_cycle_s = self._previous_cycle_s
        logger.debug(
            "power.cycle monitors=%d probed=%d seconds=%.1f",
            *(len(self._tracked), len(probes), self.stats.last_cycle_s),
        )

    async def _load(self) -> None:
        watched = await self._store.watched()
        mine: Collection[int] | None = None
        if self._owned is not None:
            mine = set(await self._owned([item.monitor.id for item, _ in watched]))
        self._tracked = {
            item.monitor.id: _Tracked(item, version)
            for item, version in watched
            if mine is None or item.monitor.id in mine
        }
        self.stats.monitors = len(self._tracked)
        for gone in set(self._beats_checked) - set(self._tracked):
            del self._beats_checked[gone]

    def _probe_targets(self) -> list[tuple[int, MonitorTarget]]:
        targets: list[tuple[int, MonitorTarget]] = []
        for monitor_id, tracked in self._tracked.items():
            monitor = tracked.watched.monitor
            if monitor.kind is not MonitorKind.PROBE:
                continue
            try:
                targets.append((monitor_id, parse_target(monitor.target)))
            except InvalidTarget as exc:  # stored before a rule changed: never probed
                logger.warning("power.bad_target monitor=%d reason=%s", monitor_id, exc.reason)
        return targets

    async def _on_probe(self, monitor_id: int, result: ProbeResult) -> None:
        self.stats.probes[result.verdict] = self.stats.probes.get(result.verdict, 0) + 1
        if result.verdict is ProbeVerdict.INCONCLUSIVE:
            logger.debug("power.inconclusive monitor=%d detail=%s", monitor_id, result.detail)
            return
        answered = result.verdict is ProbeVerdict.ANSWERED
        now = self._clock.now()
        await self._observe(monitor_id, [(answered, now)], self._period(now))

    async def _check_heartbeats(self) -> None:
        now = self._clock.now()
        for monitor_id, tracked in list(self._tracked.items()):
            monitor = tracked.watched.monitor
            if monitor.kind is not MonitorKind.HEARTBEAT or monitor.last_beat_at is None:
                continue
            checked = self._beats_checked.get(monitor_id)
            seen: list[tuple[bool, datetime]] = []
            if checked is None or monitor.last_beat_at > checked:
                seen.append((True, monitor.last_beat_at))
            misses = heartbeat_misses(
                monitor.last_beat_at,
                checked,
                now,
                monitor.beat_every,
                grace=monitor.beat_every / 2,
                limit=self._debounce.off_after,
            )
            seen += [(False, miss) for miss in misses]
            self._beats_checked[monitor_id] = max(at for _, at in seen) if seen else checked or now
            if seen:
                await self._observe(monitor_id, seen, self._period(now, monitor.beat_every))

    def _period(self, now: datetime, beat_every: timedelta = timedelta(0)) -> timedelta:
        """How far apart a monitor's observations come: its heartbeat period, or the probe
        cycle as it runs (the interval, or longer while the last or this cycle takes longer)."""
        running = (now - self._cycle_started).total_seconds() if self._cycle_started else 0.0
        cycle = timedelta(seconds=max(self._interval, self._previous_cycle_s, running))
        return max(cycle, beat_every)

    async def _observe(
        self, monitor_id: int, seen: Sequence[tuple[bool, datetime]], period: timedelta
    ) -> None:
        """Feed observations to the state machine; save when the state moved."""
        tracked = self._tracked.get(monitor_id)
        if tracked is None:
            return
        state, transition = tracked.state, None
        for answered, at in seen:
            state, confirmed = observe(state, answered, at, self._debounce, period=period)
            transition = confirmed or transition
        if state == tracked.state:
            return
        messages: list[PowerMessage] = []
        if transition is not None:
            timeline = await self._timeline(tracked, transition.at)
            others = await self._others_verdict(tracked, transition.power)
            zone = self._zone(tracked)
            messages = power_messages(tracked.watched, transition, timeline, zone, others)
        saved = await self._store.save(monitor_id, tracked.version, state, transition, messages)
        if not saved:  # another instance moved it: drop ours, next cycle reloads
            self.stats.lost_races += 1
            self._tracked.pop(monitor_id, None)
            return
        monitor = replace(tracked.watched.monitor, state=state)
        tracked.watched = replace(tracked.watched, monitor=monitor)
        tracked.version += 1
        if transition is not None:
            power = transition.power.value
            self.stats.transitions[power] = self.stats.transitions.get(power, 0) + 1
            logger.info(
                "power.changed monitor=%d power=%s at=%s alerts=%d",
                *(monitor_id, power, transition.at.isoformat(), len(messages)),
            )

    async def _others_verdict(self, tracked: _Tracked, power: Power) -> OthersVerdict | None:
        """Going off: whether the queue's other users' monitors are off too (None: unknown)."""
        watched = tracked.watched
        if power is not Power.OFF or self._others is None:
            return None
        if watched.region is None or watched.queue is None:
            return None
        others = await self._others(watched.region, watched.queue, watched.monitor.user_id)
        return others_verdict(others, self._crowd_rules)

    def _zone(self, tracked: _Tracked) -> ZoneInfo:
        region = tracked.watched.region
        return self._zones.get(region or "", ZoneInfo(DEFAULT_ZONE))

    async def _timeline(self, tracked: _Tracked, at: datetime) -> Timeline:
        """The schedule of the monitor's address as it stood at ``at`` (unknown without one)."""
        region, queue = tracked.watched.region, tracked.watched.queue
        if region is None or queue is None:
            return UNKNOWN
        if region not in self._days:
            self._days[region] = await self._schedules.load(region)
        days = (self._days[region] or {}).get(queue)
        if not days:
            return UNKNOWN
        return build_timeline(list(days.values()), self._zone(tracked), at)
