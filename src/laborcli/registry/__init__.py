"""The registry: where every imported row is kept, with its source."""

from __future__ import annotations

from laborcli.registry.engine import Registry, display_url, open_registry, to_url, upgrade_registry
from laborcli.registry.migrate import HEAD as SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "Registry", "display_url", "open_registry", "to_url", "upgrade_registry"]
