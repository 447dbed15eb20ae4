"""The ``laborcli`` console script and ``python -m laborcli``.

Starting the command imports a few thousand modules' worth of objects (typer, pydantic,
rich, SQLAlchemy), none of them garbage; the cycle collector walked them again and again,
a tenth of the start-up, so it is paused until the command knows what it runs (see
``cli.main_options``).

Ending it, the interpreter would take those modules apart again one object at a time and
run the collector over what is left: 0.1 to 0.15 s after an import of 100,000 rows, at
the end of the run where nothing else overlaps it. A process that is exiting has nothing
to free, so the script leaves with ``os._exit`` once everything it owns is closed (see
``leave``).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn

paused = False  # whether run() paused the collector (cli.main_options turns it back on)


def run() -> NoReturn:
    """Run the command named on the command line and exit with its code."""
    global paused
    paused = gc.isenabled()
    gc.disable()
    from laborcli.cli import main

    leave(main())


def leave(code: int) -> NoReturn:
    """Exit with ``code`` as the interpreter would, without its teardown.

    Only a quiet process leaves this way: while a thread other than daemons still runs,
    the interpreter's own exit is used, which stops and waits for it. Otherwise what a
    normal exit does that matters is done here: the ``atexit`` functions run
    (multiprocessing's clean-up, temporary directories, logging) and the standard streams
    are flushed. A reader that went away before the output was written (``laborcli rates
    | head``) is not an error of the command; output that could not be written (a full
    disk) is, in one line, with exit code 2 if the command had succeeded. Objects still
    alive are not finalised one by one: the registry, files and worker processes are
    closed by the command itself, before this.
    """
    me = threading.current_thread()
    if any(t is not me and not t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone, or the stream was closed
            pass
        except OSError as e:  # a full disk under `> out.json`: the output is not all there
            code = code or 2
            with contextlib.suppress(OSError, ValueError):
                os.write(2, f"laborcli: 输出未能写完 (output not written): {e.strerror}\n".encode())
    os._exit(code)
