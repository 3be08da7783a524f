"""The process's open-file limit: raised at start, and kept clear of inbound connections.

Every socket is a file descriptor: inbound HTTP connections, outgoing fetches and probes,
the database and Redis. Inbound connections may take at most half of the limit, so a flood
of clients cannot starve the rest of the process.
"""

from __future__ import annotations

import logging
import resource

logger = logging.getLogger("esvitlo")

FALLBACK_LIMIT = 65536  # what to ask for when the hard limit is unlimited


def raise_open_files_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard one (where allowed); the soft limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = FALLBACK_LIMIT if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            logger.warning("app.open_files_limit_kept soft=%d error=%r", soft, exc)
        else:
            soft = target
    logger.info("app.open_files_limit soft=%d hard=%d", soft, hard)
    return soft


def inbound_connection_cap(wanted: int, open_files: int | None = None) -> int:
    """``wanted``, or half the soft open-file limit (``open_files``, default the process's)
    when that is lower (logged)."""
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0] if open_files is None else open_files
    if soft == resource.RLIM_INFINITY or wanted <= soft // 2:
        return wanted
    cap = max(1, soft // 2)
    logger.warning("app.http_connections_capped wanted=%d cap=%d open_files=%d", wanted, cap, soft)
    return cap
