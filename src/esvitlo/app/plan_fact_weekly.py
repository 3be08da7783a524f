"""Assembles the weekly plan-versus-fact channel posts over the instance's storage (the
leader runs their loop, the bot's channel menu their opt-in switch)."""

from __future__ import annotations

from esvitlo.adapters.sql.plan_fact import SqlCrowdHistory
from esvitlo.adapters.sql.storage import SqlStorage
from esvitlo.domain.catalogue import Catalogue
from esvitlo.domain.channel_posts import POST_LANGUAGE
from esvitlo.ports import Clock
from esvitlo.services.channels import ChannelService
from esvitlo.services.plan_fact import PlanFactReports
from esvitlo.services.plan_fact_weekly import WeeklyPlanFactPosts
from esvitlo.settings import Settings


def make_weekly_posts(
    settings: Settings, storage: SqlStorage, catalogue: Catalogue, clock: Clock
) -> WeeklyPlanFactPosts:
    """The weekly posts, with a report builder of their own (no cache to share with /stats)."""
    reports = PlanFactReports(
        SqlCrowdHistory(storage.engine),
        storage.schedules,
        catalogue.regions,
        clock,
        rules=settings.crowd_rules(),
    )
    return WeeklyPlanFactPosts(
        storage.app_flags,
        ChannelService(storage.users, storage.subscriptions, storage.channels),
        storage.channels,
        storage.subscriptions,
        reports,
        storage.outbox,
        clock,
        {region.id: region.name(POST_LANGUAGE) for region in catalogue.regions},
    )
