"""One person county-wide: exact and probable duplicates, and reviewed decisions."""

from __future__ import annotations

from laborcli.identity.clusters import Cluster, find_clusters
from laborcli.identity.decisions import rebuild_links, record

__all__ = ["Cluster", "find_clusters", "rebuild_links", "record"]
