"""Alembic environment: the URL comes from the caller (storage.db.run_migrations), never from a file."""

from __future__ import annotations

from contextlib import nullcontext

from alembic import context
from sqlalchemy import create_engine, pool, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
url = str(config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url"))
connectable = create_engine(url, poolclass=pool.NullPool)
MIGRATION_LOCK = 72_001_111  # any constant: PostgreSQL advisory lock held while one worker migrates

with connectable.connect() as connection:
    postgres = connection.dialect.name == "postgresql"
    with connection.begin() if postgres else nullcontext():  # committed here, releasing the lock
        if postgres:  # several workers starting at once: one migrates, the others wait, then find it done
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=not postgres)
        with context.begin_transaction():
            context.run_migrations()
connectable.dispose()
