"""laborcli: labour-force registries for county employment bureaus.

The package is a library first; the ``laborcli`` command wraps it. The public entry
points are :mod:`laborcli.roster.importing` (validate and import sheets), :mod:`laborcli.registry`
(the store), :mod:`laborcli.roster.figures`, :mod:`laborcli.ranking.weekly` and :mod:`laborcli.identity`.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def shipped_file(name: str) -> Path:
    """A file of ``schemas/`` as shipped: inside the wheel, or in a source checkout."""
    from importlib import resources

    packaged = resources.files("laborcli").joinpath(f"schemas/{name}")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "schemas" / name
