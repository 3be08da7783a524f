"""Every SQL repository over one engine, for the composition root to hand out."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from esvitlo.adapters.sql.address_book import SqlAddressBook
from esvitlo.adapters.sql.admin_queries import SqlAdminQueries
from esvitlo.adapters.sql.channels import SqlChannels
from esvitlo.adapters.sql.crowd import SqlCrowdStore
from esvitlo.adapters.sql.engine import create_engine
from esvitlo.adapters.sql.monitors import SqlMonitors
from esvitlo.adapters.sql.outbox import SqlOutbox
from esvitlo.adapters.sql.power_state import SqlPowerStore
from esvitlo.adapters.sql.reminder_plans import SqlReminderStore
from esvitlo.adapters.sql.schedules import SqlScheduleStore
from esvitlo.adapters.sql.state import SqlAppFlags, SqlConversations
from esvitlo.adapters.sql.subscriptions import SqlSubscriptions
from esvitlo.adapters.sql.users import SqlNotificationPrefs, SqlUsers
from esvitlo.ports import Clock


@dataclass(frozen=True, slots=True)
class SqlStorage:
    """The repositories of one database; ``close`` releases its connections."""

    engine: AsyncEngine
    users: SqlUsers
    subscriptions: SqlSubscriptions
    notification_prefs: SqlNotificationPrefs
    channels: SqlChannels
    conversations: SqlConversations
    app_flags: SqlAppFlags
    outbox: SqlOutbox
    admin: SqlAdminQueries
    schedules: SqlScheduleStore
    reminders: SqlReminderStore
    monitors: SqlMonitors
    power: SqlPowerStore
    crowd: SqlCrowdStore
    address_book: SqlAddressBook

    @classmethod
    def from_engine(cls, engine: AsyncEngine, clock: Clock) -> SqlStorage:
        """Repositories sharing ``engine``; ``clock`` stamps created and updated times."""
        return cls(
            engine=engine,
            users=SqlUsers(engine, clock),
            subscriptions=SqlSubscriptions(engine, clock),
            notification_prefs=SqlNotificationPrefs(engine, clock),
            channels=SqlChannels(engine, clock),
            conversations=SqlConversations(engine, clock),
            app_flags=SqlAppFlags(engine, clock),
            outbox=SqlOutbox(engine),
            admin=SqlAdminQueries(engine),
            schedules=SqlScheduleStore(engine, clock),
            reminders=SqlReminderStore(engine),
            monitors=SqlMonitors(engine, clock),
            power=SqlPowerStore(engine, clock),
            crowd=SqlCrowdStore(engine, clock),
            address_book=SqlAddressBook(engine, clock),
        )

    @classmethod
    def open(cls, url: str, clock: Clock) -> SqlStorage:
        """Repositories over a new engine for ``url`` (see engine.create_engine)."""
        return cls.from_engine(create_engine(url), clock)

    async def ping(self) -> None:
        """Run ``SELECT 1``; raise when the database does not answer."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
