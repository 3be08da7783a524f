"""Runs the standalone fake Telegram: ``python -m esvitlo.testing.fake_telegram --port 8081``."""

import sys

from .standalone import main

sys.exit(main())
