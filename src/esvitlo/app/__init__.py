"""The composition root: builds adapters from Settings, wires the services, runs and stops them.

``assembly`` makes the parts, ``service`` puts one instance together, ``run`` runs it.
"""

from esvitlo.app.assembly import (
    configure_logging,
    fetch_region,
    freeze_startup_heap,
    make_fetcher,
    make_source,
    migrate,
)
from esvitlo.app.run import HOW_TO_GET_A_BOT, run_service
from esvitlo.app.service import Service

__all__ = [
    "HOW_TO_GET_A_BOT",
    "Service",
    "configure_logging",
    "fetch_region",
    "freeze_startup_heap",
    "make_fetcher",
    "make_source",
    "migrate",
    "run_service",
]
