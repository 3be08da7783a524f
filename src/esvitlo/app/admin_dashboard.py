"""The admin dashboard of an instance, built from its Service (see services.admin_dashboard)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from esvitlo.adapters.sql.admin_dashboard import SqlAdminDashboard
from esvitlo.domain.catalogue import display_url
from esvitlo.services.admin import AdminService
from esvitlo.services.admin_dashboard import AdminDashboard, DashboardSources
from esvitlo.services.breaker import BreakerState
from esvitlo.services.delivery_outcomes import DeliveryStats
from esvitlo.services.schedule_watch import RegionStats

if TYPE_CHECKING:
    from esvitlo.app.service import Service


def make_admin_dashboard(service: Service, admin: AdminService) -> AdminDashboard:
    """The dashboard over the shared database and this instance's live counters; sessions
    are signed with ESVITLO_ADMIN_SECRET, else with the key stored in the database."""
    secret = service.settings.admin_secret

    def watch_stats() -> Mapping[str, RegionStats]:
        return service.watch.stats if service.election.is_leader else {}

    def breakers() -> Mapping[str, Mapping[str, BreakerState]]:
        """Shown by source address without credentials or query."""
        if not service.election.is_leader:
            return {}
        return {
            region: {display_url(url): state for url, state in states.items()}
            for region, states in service.watch.breaker_states.items()
        }

    def delivery() -> DeliveryStats | None:
        return service.delivery.stats if service.delivery is not None else None

    return AdminDashboard(
        SqlAdminDashboard(service.storage.engine),
        admin,
        service.clock,
        DashboardSources(
            regions=lambda: [region.id for region in service.catalogue.regions],
            watch_stats=watch_stats,
            breakers=breakers,
            delivery=delivery,
            started_at=service.started_at,
        ),
        base_url=service.settings.public_base_url(),
        signing_key=secret.get_secret_value() if secret else None,
    )
