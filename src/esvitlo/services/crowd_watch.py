"""The crowd watch: on the leader, every interval, counts every queue's monitors at once and
moves each queue's episode (``domain.crowd.step``), storing a moved episode with its alert.

One aggregation per pass reads the monitors' state as every instance's power watch stored
it, so sharding does not matter. A queue's schedule is read only when the decision needs
it (a possible off-wave, or one being confirmed), each region at most once a pass. The
episodes live in storage: a restart or a new leader continues them and never alerts twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from esvitlo.domain.catalogue import Region
from esvitlo.domain.crowd import CrowdCount, CrowdRules, CrowdStatus, Episode, step
from esvitlo.domain.crowd_render import EpisodeMove, crowd_alert
from esvitlo.domain.model import DaySchedule
from esvitlo.domain.timeline import build_timeline
from esvitlo.ports import Clock, CrowdStore, ScheduleStore
from esvitlo.services.repeating import Repeating

logger = logging.getLogger("esvitlo.crowd")

DEFAULT_ZONE = "Europe/Kyiv"
QUIET = Episode()


@dataclass(slots=True)
class CrowdWatchStats:
    """What the watch did since it started, for /metrics and the logs."""

    passes: int = 0
    queues: int = 0
    visible_queues: int = 0
    alerts: dict[str, int] = field(default_factory=dict)  # by edge
    last_pass_s: float = 0.0
    pass_seconds_sum: float = 0.0  # every pass's time together (a summary's sum)
    episodes_open: int = 0  # queues whose episode is not quiet after the last pass


class CrowdWatch:
    """Runs aggregation passes and tells subscribers of unscheduled outages."""

    def __init__(
        self,
        store: CrowdStore,
        schedules: ScheduleStore,
        regions: Sequence[Region],
        clock: Clock,
        *,
        rules: CrowdRules | None = None,
        interval: float = 30.0,
    ) -> None:
        self._store = store
        self._schedules = schedules
        self._regions = {region.id: region for region in regions}
        self._clock = clock
        self.rules = rules or CrowdRules()
        self._interval = interval
        self._days: dict[str, Mapping[str, Mapping[date, DaySchedule]] | None] = {}
        self._loop = Repeating(
            self.run_once,
            clock,
            lambda: self._interval,
            name="crowd-watch",
            failure_event="crowd.pass_failed",
        )
        self.stats = CrowdWatchStats()

    async def start(self) -> None:
        """Run passes in the background until :meth:`stop`."""
        self._loop.start()

    async def stop(self) -> None:
        """Stop, cancelling the one in progress (what it saved stays saved)."""
        await self._loop.stop()

    async def run_once(self) -> None:
        """One pass: count every queue, move every episode, store and alert what moved."""
        now = self._clock.now()
        self._days = {}
        counts = {count.key: count for count in await self._store.counts(now - self.rules.fresh)}
        episodes = await self._store.episodes()
        moves = []
        for key in set(counts) | set(episodes):
            move = await self._decide(key, counts.get(key), episodes.get(key, QUIET), now)
            if move is not None:
                moves.append(move)
        queued = await self._store.save(moves)
        self._log(moves, queued)
        self.stats.passes += 1
        self.stats.queues = len(counts)
        self.stats.visible_queues = sum(self.rules.visible(c.known) for c in counts.values())
        self.stats.last_pass_s = (self._clock.now() - now).total_seconds()
        self.stats.pass_seconds_sum += self.stats.last_pass_s
        self.stats.episodes_open = _open_after(episodes, moves)

    async def _decide(
        self, key: tuple[str, str], count: CrowdCount | None, episode: Episode, now: datetime
    ) -> EpisodeMove | None:
        """The queue's moved episode with its alert; None when it did not move."""
        region, queue = key
        schedule_on, planned_end = False, None
        if self._needs_schedule(episode, count):
            schedule_on, planned_end = await self._schedule_now(region, queue, now)
        moved, edge = step(episode, count, schedule_on, now, self.rules, planned_end=planned_end)
        if moved == episode:
            return None
        alert = None
        if edge is not None:
            started = moved.started_at or episode.started_at or now
            found = self._regions.get(region)
            names = (found.name_uk, found.name_en) if found else (region, region)
            at = (episode.since or now) if edge.about_plan else now  # when the crowd came back
            zone = self._zone(region)
            planned = episode.planned_end
            alert = crowd_alert(region, names, queue, edge, started, at, zone, planned)
        return EpisodeMove(region, queue, moved, alert)

    def _log(self, moves: list[EpisodeMove], queued: int) -> None:
        for move in moves:
            alert = move.alert
            if alert is None:
                logger.info(
                    "crowd.episode region=%s queue=%s status=%s",
                    *(move.region, move.queue, move.episode.status.value),
                )
                continue
            self.stats.alerts[alert.edge] = self.stats.alerts.get(alert.edge, 0) + 1
            logger.info(
                "crowd.alert region=%s queue=%s edge=%s",
                *(move.region, move.queue, alert.edge.value),
            )
        if queued:
            logger.info("crowd.queued messages=%d", queued)

    def _needs_schedule(self, episode: Episode, count: CrowdCount | None) -> bool:
        if count is None:
            return False
        if episode.status is CrowdStatus.QUIET:
            return self.rules.is_off(count)  # an off-wave, or off in a scheduled outage
        return episode.status is CrowdStatus.SUSPECT

    def _zone(self, region: str) -> ZoneInfo:
        found = self._regions.get(region)
        return ZoneInfo(found.tz if found else DEFAULT_ZONE)

    async def _schedule_now(
        self, region: str, queue: str, now: datetime
    ) -> tuple[bool, datetime | None]:
        """Whether the queue's stored schedule says power is on now (False when unknown or an
        emergency), and the end of the scheduled outage in progress when it knows one."""
        if region not in self._days:
            self._days[region] = await self._schedules.load(region)
        days = (self._days[region] or {}).get(queue)
        if not days:
            return False, None
        timeline = build_timeline(list(days.values()), self._zone(region), now)
        if not timeline.known or timeline.emergency:
            return False, None
        outage = timeline.current_outage
        if outage is None:
            return timeline.power_on is True, None
        known_end = timeline.known_until is None or outage.end < timeline.known_until
        return False, outage.end if known_end else None


def _open_after(episodes: Mapping[tuple[str, str], Episode], moves: Sequence[EpisodeMove]) -> int:
    """How many queues have an episode that is not quiet once ``moves`` are stored."""
    open_keys = {key for key, e in episodes.items() if e.status is not CrowdStatus.QUIET}
    for move in moves:
        if move.episode.status is CrowdStatus.QUIET:
            open_keys.discard((move.region, move.queue))
        else:
            open_keys.add((move.region, move.queue))
    return len(open_keys)
