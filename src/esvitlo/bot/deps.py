"""What handlers get from the composition root, as one Dispatcher keyword argument."""

from __future__ import annotations

from dataclasses import dataclass

from esvitlo.domain.catalogue import Catalogue
from esvitlo.ports import Clock
from esvitlo.services.accounts import AccountService
from esvitlo.services.admin import AdminService
from esvitlo.services.channels import ChannelService
from esvitlo.services.current_posts import CurrentSchedulePosts
from esvitlo.services.monitors import MonitorService
from esvitlo.services.power_reports import PowerReports
from esvitlo.services.preferences import PreferenceService
from esvitlo.services.schedule_board import ScheduleBoard
from esvitlo.services.schedule_photos import SchedulePhotos


@dataclass(frozen=True, slots=True)
class BotServices:
    """The services and read-only data the handlers call (``svc`` in handler signatures)."""

    accounts: AccountService
    prefs: PreferenceService
    channels: ChannelService
    admin: AdminService
    board: ScheduleBoard
    photos: SchedulePhotos
    catalogue: Catalogue
    clock: Clock
    monitors: MonitorService
    power_reports: PowerReports
    current_posts: CurrentSchedulePosts
