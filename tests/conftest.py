"""Settings every test process shares: the private metrics listener on any free port.

Its default port (9464) would collide between services started by tests at once, as
HTTP_PORT's would; tests set HTTP_PORT=0 themselves, and subprocesses inherit this.
"""

from __future__ import annotations

import os

os.environ.setdefault("METRICS_PORT", "0")
