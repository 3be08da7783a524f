"""Heartbeat secrets are kept as SHA-256 hashes: monitors.secret becomes secret_hash.

The column is renamed in place (SQLite 3.25+ and PostgreSQL alike, no table rebuild) and
every stored secret is replaced by its hash, so existing heartbeat URLs keep working. The
downgrade cannot give the secrets back: it drops the hashes, and heartbeat monitors are left
without a URL (their owners must add them again).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONITORS = sa.table("monitors", sa.column("id"), sa.column("secret_hash"))


def _sha256(secret: str) -> str:
    """domain.monitors.hash_secret, copied: a migration never changes with the code."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def upgrade() -> None:
    """Rename monitors.secret to secret_hash and hash every stored secret."""
    op.drop_index("ix_monitors_secret", table_name="monitors")
    op.execute("ALTER TABLE monitors RENAME COLUMN secret TO secret_hash")
    connection = op.get_bind()
    stored = connection.execute(
        sa.select(MONITORS.c.id, MONITORS.c.secret_hash).where(MONITORS.c.secret_hash.is_not(None))
    ).all()
    for monitor_id, secret in stored:
        connection.execute(
            sa.update(MONITORS)
            .where(MONITORS.c.id == monitor_id)
            .values(secret_hash=_sha256(secret))
        )
    op.create_index("ix_monitors_secret_hash", "monitors", ["secret_hash"], unique=True)


def downgrade() -> None:
    """Rename the column back, emptied: a hash cannot be turned back into its secret."""
    op.drop_index("ix_monitors_secret_hash", table_name="monitors")
    op.execute(sa.update(MONITORS).values(secret_hash=None))
    op.execute("ALTER TABLE monitors RENAME COLUMN secret_hash TO secret")
    op.create_index("ix_monitors_secret", "monitors", ["secret"], unique=True)
