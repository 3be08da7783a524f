"""The status page's crowd verdict (domain.crowd_status): off as the crowd watch calls it, on
when enough have power, mixed otherwise, nothing below three users."""

from __future__ import annotations

import pytest

from esvitlo.domain.crowd import CrowdRules, QueueOthers
from esvitlo.domain.crowd_status import CrowdVerdict, crowd_verdict


@pytest.mark.parametrize(
    ("known", "on", "off", "verdict"),
    [
        (2, 0, 2, None),
        (3, 0, 3, CrowdVerdict.OFF),
        (3, 1, 2, CrowdVerdict.MIXED),
        (3, 2, 1, CrowdVerdict.ON),
        (10, 5, 5, CrowdVerdict.OFF),
        (10, 6, 4, CrowdVerdict.ON),
        (4, 2, 2, CrowdVerdict.ON),  # not enough off to call it off (3 needed)
    ],
)
def test_the_crowd_verdict(known, on, off, verdict):
    assert crowd_verdict(QueueOthers(known, on, off), CrowdRules()) is verdict
