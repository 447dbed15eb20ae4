"""The ``laborcli`` console script and ``python -m laborcli``.

Starting the command imports a few thousand modules' worth of objects (typer, pydantic,
rich, SQLAlchemy), none of them garbage; the cycle collector walked them again and again,
a tenth of the start-up, so it is paused until the command knows what it runs (see
``cli.main_options``).
"""

from __future__ import annotations

import gc
import sys

paused = False  # whether run() paused the collector (cli.main_options turns it back on)


def run() -> None:
    """Run the command named on the command line and exit with its code."""
    global paused
    paused = gc.isenabled()
    gc.disable()
    from laborcli.cli import main

    sys.exit(main())
