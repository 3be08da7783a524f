"""Protocols for the edges of the system; services depend on these, adapters implement them.

One module per concern; every name is re-exported here, so ``from esvitlo.ports import X``
is the way to import them.
"""

from esvitlo.ports.accounts import (
    AdminQueries,
    AppFlags,
    Channels,
    ConversationStore,
    FlagNames,
    NotificationPrefs,
    Subscriptions,
    Users,
)
from esvitlo.ports.charts import ChartRenderer, PowerChartRenderer
from esvitlo.ports.clock import Clock
from esvitlo.ports.coordination import (
    CoordinationEvent,
    CoordinationUnavailable,
    Coordinator,
    EventHandler,
)
from esvitlo.ports.crowd import CrowdHistory, CrowdStore
from esvitlo.ports.delivery import (
    ChatMigrated,
    DeliveryQueue,
    MessageRejected,
    MessageSender,
    Outbox,
    RecipientGone,
    ReminderOutcome,
    ReminderStore,
    RetryAfter,
    SendBudget,
    SendFailed,
    SentPhoto,
    TargetMessageGone,
    TemporaryFailure,
)
from esvitlo.ports.feeds import CalendarLinks, MonitorStates, ScheduleArchive
from esvitlo.ports.housekeeping import ChannelHealthStore, ChatInspector, RetentionStore
from esvitlo.ports.lookup import (
    AddressBook,
    AddressLookup,
    Candidate,
    LookupFailed,
    LookupNotFound,
    LookupRefused,
    LookupUnavailable,
    RequestPacer,
    TownLookup,
)
from esvitlo.ports.power import Monitors, PowerStore, Prober
from esvitlo.ports.schedules import (
    CachedDocument,
    ChangeSink,
    Fetched,
    RegionCheck,
    ScheduleSource,
    ScheduleStore,
    SourceCache,
    SourceUnavailable,
)

__all__ = [
    "AddressBook",
    "AddressLookup",
    "AdminQueries",
    "AppFlags",
    "CachedDocument",
    "CalendarLinks",
    "Candidate",
    "ChangeSink",
    "ChannelHealthStore",
    "Channels",
    "ChartRenderer",
    "ChatInspector",
    "ChatMigrated",
    "Clock",
    "ConversationStore",
    "CoordinationEvent",
    "CoordinationUnavailable",
    "Coordinator",
    "CrowdHistory",
    "CrowdStore",
    "DeliveryQueue",
    "EventHandler",
    "Fetched",
    "FlagNames",
    "LookupFailed",
    "LookupNotFound",
    "LookupRefused",
    "LookupUnavailable",
    "MessageRejected",
    "MessageSender",
    "MonitorStates",
    "Monitors",
    "NotificationPrefs",
    "Outbox",
    "PowerChartRenderer",
    "PowerStore",
    "Prober",
    "RecipientGone",
    "RegionCheck",
    "ReminderOutcome",
    "ReminderStore",
    "RequestPacer",
    "RetentionStore",
    "RetryAfter",
    "ScheduleArchive",
    "ScheduleSource",
    "ScheduleStore",
    "SendBudget",
    "SendFailed",
    "SentPhoto",
    "SourceCache",
    "SourceUnavailable",
    "Subscriptions",
    "TargetMessageGone",
    "TemporaryFailure",
    "TownLookup",
    "Users",
]
