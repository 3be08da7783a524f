"""SQL storage (SQLAlchemy Core): one schema for SQLite and PostgreSQL, migrated by Alembic."""
