"""Addresses found by lookup: address_lookups, the street and house a subscription came from.

Operators renumber their street and house ids, so the address is kept as text with the queue
found, and re-resolved daily (``next_check_at``, spread over the day); deleting the
subscription deletes its row. The downgrade drops the table.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the table of addresses found by lookup."""
    op.create_table(
        "address_lookups",
        sa.Column("subscription_id", ROW_ID, nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("house", sa.String(40), nullable=False),
        sa.Column("queue", sa.String(32), nullable=False),
        sa.Column("checked_at", UTC_TIME, nullable=False),
        sa.Column("next_check_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_address_lookups_subscription_id_subscriptions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscription_id", name="pk_address_lookups"),
    )
    op.create_index("ix_address_lookups_next_check_at", "address_lookups", ["next_check_at"])


def downgrade() -> None:
    """Remove what the upgrade added."""
    op.drop_index("ix_address_lookups_next_check_at", table_name="address_lookups")
    op.drop_table("address_lookups")
