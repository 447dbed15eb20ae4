"""Alembic environment: runs on the connection laborcli hands over (inside its lock)."""

from __future__ import annotations

from alembic import context

from laborcli.registry.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:
    raise RuntimeError("laborcli migrations run through `laborcli db upgrade`, which provides the connection")

context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, transaction_per_migration=False
)
context.run_migrations()
