"""The channel verdict from getChat and getChatMember facts, table-driven."""

from __future__ import annotations

import pytest

from esvitlo.domain.accounts import ChannelStatus
from esvitlo.domain.channel_health import (
    CHAT_NOT_FOUND,
    SHUT_OUT,
    BotMembership,
    ChannelHealth,
    ChatLookup,
    channel_verdict,
    recovered_status,
)

CHANNEL = ChatLookup(found=True, kind="channel")
SUPERGROUP = ChatLookup(found=True, kind="supergroup")
GROUP = ChatLookup(found=True, kind="group")


@pytest.mark.parametrize(
    ("chat", "member", "verdict"),
    [
        (CHAT_NOT_FOUND, None, ChannelHealth.GONE),
        (SHUT_OUT, None, ChannelHealth.REMOVED),
        (CHANNEL, BotMembership("creator"), ChannelHealth.HEALTHY),
        (CHANNEL, BotMembership("administrator", can_post_messages=True), ChannelHealth.HEALTHY),
        (CHANNEL, BotMembership("administrator"), ChannelHealth.NO_RIGHTS),
        (CHANNEL, BotMembership("member"), ChannelHealth.NO_RIGHTS),
        (CHANNEL, BotMembership("left"), ChannelHealth.REMOVED),
        (CHANNEL, BotMembership("kicked"), ChannelHealth.REMOVED),
        (SUPERGROUP, BotMembership("member"), ChannelHealth.HEALTHY),
        (SUPERGROUP, BotMembership("administrator"), ChannelHealth.HEALTHY),
        (GROUP, BotMembership("restricted"), ChannelHealth.HEALTHY),
        (GROUP, BotMembership("restricted", can_send_messages=False), ChannelHealth.NO_RIGHTS),
        (GROUP, BotMembership("left"), ChannelHealth.REMOVED),
        (CHANNEL, None, ChannelHealth.REMOVED),
    ],
)
def test_verdict(chat: ChatLookup, member: BotMembership | None, verdict: ChannelHealth):
    assert channel_verdict(chat, member) is verdict
    assert verdict.reachable is (verdict is ChannelHealth.HEALTHY)


@pytest.mark.parametrize(
    ("linked", "status"), [(True, ChannelStatus.ACTIVE), (False, ChannelStatus.PENDING)]
)
def test_a_recovered_channel_publishes_again_only_when_linked(linked: bool, status):
    assert recovered_status(linked) is status
