"""Deep links naming a queue: subscribe, timer and schedule forms, and the buttons under posts."""

from __future__ import annotations

import pytest

from esvitlo.domain.catalogue import Catalogue
from esvitlo.domain.deep_links import (
    PAYLOAD_LIMIT,
    DeepLink,
    LinkAction,
    deep_link_payload,
    parse_deep_link,
    queue_links,
)
from esvitlo.domain.texts import texts_for
from esvitlo.settings import Settings

CATALOGUE: Catalogue = Settings().catalogue()
ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("kyiv_3-1", DeepLink("kyiv", "3.1")),
        ("t_kyiv_3-1", DeepLink("kyiv", "3.1", LinkAction.TIMER)),
        ("s_kyiv-region_GPV6-2", DeepLink("kyiv-region", "6.2", LinkAction.SCHEDULE)),
        ("x_kyiv_3-1", None),  # an action we do not know
        ("t_atlantis_3-1", None),
        ("t_kyiv_", None),
        ("t_", None),
        ("t", None),
    ],
)
def test_parse_the_timer_and_schedule_forms(payload: str, expected: DeepLink | None):
    assert parse_deep_link(payload, CATALOGUE) == expected


@pytest.mark.parametrize("action", list(LinkAction))
def test_every_catalogue_queue_link_is_valid_and_reads_back(action: LinkAction):
    for region in CATALOGUE.regions:
        for queue in ("3.1", "1001.2", "60.2"):
            payload = deep_link_payload(region.id, queue, action)
            assert set(payload) <= ALLOWED and len(payload) <= PAYLOAD_LIMIT, payload
            assert parse_deep_link(payload, CATALOGUE) == DeepLink(region.id, queue, action)


def test_post_buttons_open_the_bot_on_the_queue():
    [(timer, today)] = queue_links("esvitlo_bot", "kyiv", "3.1", texts_for("uk"))
    assert (timer.text, timer.url) == ("⏰ Таймер", "https://t.me/esvitlo_bot?start=t_kyiv_3-1")
    assert (today.text, today.url) == ("📊 Сьогодні", "https://t.me/esvitlo_bot?start=s_kyiv_3-1")
