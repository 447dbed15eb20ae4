"""laborcli: labour-force registries for county employment bureaus.

The package is a library first; the ``laborcli`` command wraps it. The public entry
points are :mod:`laborcli.pipeline` (validate and import sheets), :mod:`laborcli.registry`
(the store), :mod:`laborcli.figures`, :mod:`laborcli.ranking` and :mod:`laborcli.identity`.
"""

from __future__ import annotations

__version__ = "0.1.0"
