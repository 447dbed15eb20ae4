"""How laborcli starts worker processes: the one start policy of the import's sheet
checks, the report's duplicate review and the sample generator.

It lives with the sheet machinery, whose file checks are what the import's workers run;
nothing here loads the database layer.
"""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext


def start_context(*, holds_connections: bool = False) -> BaseContext:
    """Fork where it is safe, else spawn.

    A forked worker starts at once with everything imported; a spawned one imports
    laborcli again. Forking a process that runs other threads (a progress bar's) can
    deadlock the child on a lock one of them held; forking one that ``holds_connections``
    to a registry gives the child the same sockets and files. Either way: spawn.
    """
    if (
        not holds_connections
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    ):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
