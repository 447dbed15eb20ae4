"""The ``laborcli`` console script and ``python -m laborcli``.

``run`` pauses the cycle collector while the command is loaded (why, and where it is
turned back on: ``sheets.checking.gc_paused``).

Ending it, the interpreter would take the imported modules apart again one object at a
time and run the collector over what is left, at the end of the run where nothing else
overlaps it. A process that is exiting has nothing to free, so the script leaves with
``os._exit`` once everything it owns is closed (see ``leave``).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
import threading
from typing import NoReturn


def run() -> NoReturn:
    """Run the command named on the command line and exit with its code."""
    paused = gc.isenabled()
    gc.disable()
    from laborcli.cli.app import main  # after the pause: loading it is what the pause is for

    leave(main(gc_paused=paused))


def leave(code: int) -> NoReturn:
    """Exit with ``code`` as the interpreter would, without its teardown.

    Only a quiet process leaves this way. While a thread other than daemons still runs,
    the interpreter's own exit is used, which stops and waits for it; so it is under a
    profiler, tracer or coverage tool (``python -m cProfile -m laborcli``), which writes
    its results then. Otherwise what a normal exit does that matters is done here: the
    ``atexit`` functions run (multiprocessing's clean-up, temporary directories, logging)
    and the standard streams are flushed. The registry, files and worker processes were
    closed by the command itself; objects still alive are not finalised one by one.

    The last flush of the output: a reader that went away (``| head``) leaves the exit
    code as it is (a write inside the command that finds it gone is exit 1, click's rule);
    a full disk is one line and exit 2 if the command had succeeded (else it has said
    what went wrong already).
    """
    me = threading.current_thread()
    busy = any(t is not me and not t.daemon and t.is_alive() for t in threading.enumerate())
    if busy or sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its results at the normal exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the descriptor closed (`laborcli db info >&-`)
            continue
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # reader gone, or the stream was closed
            pass
        except OSError as e:  # a full disk under `> out.json`: the output is not all there
            if code == 0:  # else the command has said what went wrong (cli.main)
                code = 2
                with contextlib.suppress(OSError, ValueError):
                    os.write(2, f"laborcli: 输出未能写完 (output not written): {e.strerror}\n".encode())
    os._exit(code)
