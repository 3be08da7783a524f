"""Settings every test process shares: the private metrics listener on any free port, and
the root logger as each test found it.

The metrics port's default (9464) would collide between services started by tests at once,
as HTTP_PORT's would; tests set HTTP_PORT=0 themselves, and subprocesses inherit this. A
command run in-process (``esvitlo lookup``, ``esvitlo schedule``) configures logging for a
terminal, at ERROR: without the restore, later tests reading ``caplog`` would see nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("METRICS_PORT", "0")


@pytest.fixture(autouse=True)
def _root_logger_restored() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)
