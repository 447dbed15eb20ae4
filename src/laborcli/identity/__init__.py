"""One person county-wide: exact and probable duplicates, and reviewed decisions.

The review and the decisions are loaded when first asked for: they bring the database
layer, and ``identity.keys`` serves the sheet checks of worker processes, which must not
load it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from laborcli.identity.clusters import Cluster, find_clusters, review
    from laborcli.identity.decisions import rebuild_links, record

__all__ = ["Cluster", "find_clusters", "rebuild_links", "record", "review"]
_HOME = {
    "Cluster": "clusters",
    "find_clusters": "clusters",
    "review": "clusters",
    "rebuild_links": "decisions",
    "record": "decisions",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"laborcli.identity.{home}"), name)
