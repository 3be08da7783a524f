"""Emergency outages as their own alert kind: notification_settings.emergency.

Existing users get emergency alerts (on), as new users do; the downgrade drops the column.
Reminders moved from priority 1 to 2 to let emergency alerts in between: reminders still
waiting at 1 move with them (and back on downgrade), so the search for queues with
reminders waiting, which reads the reminder priority, still finds them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add whether the user hears when their queue's day turns emergency (on by default)."""
    op.add_column(
        "notification_settings",
        sa.Column("emergency", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.execute(_move_reminders(1, 2))


def _move_reminders(old: int, new: int) -> sa.TextClause:
    """Reminders not yet sent, from one priority to another."""
    return sa.text(
        "UPDATE outbox SET priority = :new "
        "WHERE kind = 'reminder' AND priority = :old AND status IN ('pending', 'sending')"
    ).bindparams(new=new, old=old)


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.execute(_move_reminders(2, 1))
    with op.batch_alter_table("notification_settings") as batch:
        batch.drop_column("emergency")
