"""Run laborcli in this process and SIGKILL it at a named point of its work, for the crash
tests of writes that are too short to hit with a timer (tests/test_ledger_crash.py).

    KILL_AT=<point> python -m tests.killpoint --db URL subsidy record FILE.xlsx

A point is one of:

- ``before|<text>[|n]``: before the n-th SQL statement (default the 1st) containing text;
- ``after|<text>[|n]``: right after that statement ran;
- ``commit-after|<text>``: when the transaction that ran such a statement commits, before
  the database is asked to (SQLAlchemy's ``commit`` event);
- ``returned|<module>|<function>``: once that function has returned (its commit done).

The hooks are SQLAlchemy events and a wrapped function installed here, in the test's own
process: nothing of it is in laborcli.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    """Install the hook of ``point``."""
    kind, *rest = point.split("|")
    if kind in ("before", "after"):
        text, nth = rest[0], int(rest[1]) if len(rest) > 1 else 1
        seen = [0]

        def on_sql(_c: Connection, _cur: Any, statement: str, *_: Any) -> None:
            if text in statement:
                seen[0] += 1
                if seen[0] == nth:
                    _die()

        event.listen(Engine, "before_cursor_execute" if kind == "before" else "after_cursor_execute", on_sql)
    elif kind == "commit-after":
        ran = [False]

        def mark(_c: Connection, _cur: Any, statement: str, *_: Any) -> None:
            ran[0] = ran[0] or rest[0] in statement

        def on_commit(_c: Connection) -> None:
            if ran[0]:
                _die()

        event.listen(Engine, "after_cursor_execute", mark)
        event.listen(Engine, "commit", on_commit)
    elif kind == "returned":
        module = importlib.import_module(rest[0])
        original = getattr(module, rest[1])

        def wrapped(*a: Any, **kw: Any) -> Any:
            result = original(*a, **kw)
            _die()
            return result

        setattr(module, rest[1], wrapped)
    else:
        raise SystemExit(f"unknown kill point: {point}")


def main() -> None:
    """Arm the point, then run the command line as the console script does."""
    arm(os.environ["KILL_AT"])
    from laborcli.cli.entry import run

    sys.argv = ["laborcli", *sys.argv[1:]]
    run()


if __name__ == "__main__":
    main()
