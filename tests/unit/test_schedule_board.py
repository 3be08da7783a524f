"""The board: checked on first use, and again when its copy is older than ``max_age``."""

from __future__ import annotations

from datetime import timedelta

from esvitlo.domain.model import RegionSnapshot
from esvitlo.ports import RegionCheck
from esvitlo.services.schedule_board import ScheduleBoard

from step_clock import StepClock


def check(number: int) -> RegionCheck:
    return RegionCheck("kyiv", RegionSnapshot("kyiv", "Europe/Kyiv", {}), {}, False, f"#{number}")


class Refresher:
    """Plays the watch: each refresh is a new check handed to the board (or a failure)."""

    def __init__(self) -> None:
        self.board: ScheduleBoard | None = None
        self.count = 0
        self.failing = False

    async def __call__(self, region: str) -> RegionCheck:
        if self.failing:
            raise RuntimeError("sources down")
        self.count += 1
        result = check(self.count)
        assert self.board is not None
        await self.board.region_checked(result)
        return result


async def test_a_copy_older_than_max_age_is_checked_again_and_kept_on_failure() -> None:
    clock, refresh = StepClock(), Refresher()
    board = refresh.board = ScheduleBoard(refresh, clock=clock, max_age=timedelta(minutes=5))
    assert (await board.latest("kyiv")).source_url == "#1"
    await clock.sleep(299)
    assert (await board.latest("kyiv")).source_url == "#1"
    await clock.sleep(2)
    assert (await board.latest("kyiv")).source_url == "#2"
    await clock.sleep(301)
    refresh.failing = True
    assert (await board.latest("kyiv")).source_url == "#2"  # the older copy, not nothing


async def test_without_max_age_the_watch_alone_keeps_it_current() -> None:
    clock, refresh = StepClock(), Refresher()
    board = refresh.board = ScheduleBoard(refresh, clock=clock)
    await board.latest("kyiv")
    await clock.sleep(86_400)
    await board.latest("kyiv")
    assert refresh.count == 1
    refresh.failing = True
    assert await board.latest("dnipro") is None
