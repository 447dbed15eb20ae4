"""Alembic migrations of the registry schema (script_location ``laborcli:migrations``)."""
