"""eSvitlo monitor: outage schedules, change alerts and power detection for Ukraine."""

__version__ = "0.1.0"
