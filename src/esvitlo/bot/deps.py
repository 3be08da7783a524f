"""What handlers get from the composition root, as one Dispatcher keyword argument."""

from __future__ import annotations

from dataclasses import dataclass

from esvitlo.domain.catalogue import Catalogue
from esvitlo.ports import Clock
from esvitlo.services.accounts import AccountService
from esvitlo.services.address_lookup import AddressFinder
from esvitlo.services.address_recheck import AddressRecheck
from esvitlo.services.admin import AdminService
from esvitlo.services.admin_dashboard import AdminDashboard
from esvitlo.services.channels import ChannelService
from esvitlo.services.current_posts import CurrentSchedulePosts
from esvitlo.services.monitor_pages import MonitorPages
from esvitlo.services.monitors import MonitorService
from esvitlo.services.plan_fact import PlanFactReports
from esvitlo.services.plan_fact_weekly import WeeklyPlanFactPosts
from esvitlo.services.power_reports import PowerReports
from esvitlo.services.preferences import PreferenceService
from esvitlo.services.public_feeds import CalendarFeeds
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
    lookup: AddressFinder | None = None  # find a queue from an address (None: never offered)
    address_recheck: AddressRecheck | None = None  # keeps found addresses, re-checks daily
    calendars: CalendarFeeds | None = None  # private calendar links
    calendar_base: str | None = None  # public base URL of calendar links (None: not set up)
    plan_fact: PlanFactReports | None = None  # /stats: plan versus fact per queue
    weekly_posts: WeeklyPlanFactPosts | None = None  # channels' weekly plan-versus-fact post
    dashboard: AdminDashboard | None = None  # /dashboard login links (None: no /admin)
    monitor_pages: MonitorPages | None = None  # links on monitor screens (with calendar_base)
