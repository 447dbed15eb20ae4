"""laborcli: labour-force registries for county employment bureaus.

The package is a library first; the ``laborcli`` command wraps it. The public entry
points are :mod:`laborcli.roster.importing` (validate and import sheets), :mod:`laborcli.registry`
(the store), :mod:`laborcli.roster.figures`, :mod:`laborcli.ranking.weekly` and :mod:`laborcli.identity`.
"""

from __future__ import annotations

__version__ = "0.1.0"
