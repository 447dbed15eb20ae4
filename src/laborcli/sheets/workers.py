"""Worker processes: the one start policy (of the import's sheet checks, the report's
duplicate review and the sample generator), and the files an import reads ahead in them.

It lives with the sheet machinery, whose file checks are what the import's workers run;
nothing here loads the database layer.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path

from laborcli.i18n import pick
from laborcli.sheets import idcard
from laborcli.sheets.checking import FileReport, Settings, check_file
from laborcli.sheets.problems import ProblemCode, make_problem


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


def _worker_count(paths: list[Path]) -> int:
    """Processes to read and validate with: all cores when the batch is big enough to pay."""
    env = os.environ.get("LABORCLI_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    total = 0
    for p in paths:
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    if len(paths) < 3 or total < 4_000_000:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


_WORKER_NICENESS = 5


def _worker_start() -> None:
    """Workers yield the processor to the importing process, which writes what they read:
    a writer kept waiting holds up every file behind it, and the registry's write lock."""
    if hasattr(os, "nice"):  # not on Windows, where the workers keep the normal priority
        with contextlib.suppress(OSError):
            os.nice(_WORKER_NICENESS)
    # Forked with the cycle collector paused: on between files (see gc_paused).
    gc.enable()


class Checker:
    """Files read and validated ahead of the writer: in worker processes when the batch
    is large enough to pay, else one by one as they are asked for.

    Made before the registry is opened, the workers start on the first files while the
    importing process is still loading the database layer and looking up which files were
    imported before; a file that turns out ``unchanged`` is checked for nothing, at most
    two per worker. At most two files per worker are in flight, so memory holds a few
    files, never the county.
    """

    def __init__(self, paths: list[Path], settings: Settings) -> None:
        self.settings = settings
        self.workers = _worker_count(paths)
        self.pool: ProcessPoolExecutor | None = None
        self.ahead: dict[Path, Future[FileReport]] = {}
        if self.workers > 1:
            idcard.load_array_checks()
            self.pool = self._new_pool()
            for p in paths[: 2 * self.workers]:
                self.ahead[p] = self._submit(p)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=start_context(), initializer=_worker_start
        )

    def _restart(self) -> None:
        """A new pool for a broken one; the checks started in the old one are lost. The old
        one's threads are waited for, so that the new pool may fork again (start_context)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.ahead.clear()
        self.pool = self._new_pool()

    def _alone(self, path: Path) -> FileReport:
        """Check one file with nothing else in flight: if its worker dies now, it was this
        file that killed it, and the file is reported so, in a new pool."""
        try:
            return self._submit(path).result()
        except BrokenProcessPool:
            self._restart()
            return died(path)

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _submit(self, path: Path) -> Future[FileReport]:
        assert self.pool is not None
        try:
            return self.pool.submit(check_file, path, self.settings, for_store=True)
        except BrokenProcessPool as e:  # broke since the last check: this one fails as they did
            failed: Future[FileReport] = Future()
            failed.set_exception(e)
            return failed

    def _started(self, path: Path) -> Future[FileReport]:
        """The file's check: the one started ahead, else a new one."""
        ahead = self.ahead.pop(path, None)
        return ahead if ahead is not None else self._submit(path)

    def reports(self, paths: list[Path]) -> Iterator[FileReport]:
        """The report of each of ``paths``, in order (files started ahead and not among
        them are dropped)."""
        if self.pool is None:
            for p in paths:
                yield check_file(p, self.settings, for_store=True)
            return
        wanted = set(paths)
        for p, fut in list(self.ahead.items()):
            if p not in wanted:
                fut.cancel()
                del self.ahead[p]
        pending: deque[tuple[Path, Future[FileReport]]] = deque()
        it = iter(paths)
        for p in it:
            pending.append((p, self._started(p)))
            if len(pending) >= 2 * self.workers:
                break
        while pending:
            path, fut = pending.popleft()
            try:
                rep = fut.result()
            except BrokenProcessPool:
                # A worker died (a reader's native abort, the kernel's out-of-memory killer),
                # and with it every check in flight. Which file did it is not known: each of
                # them is checked again alone, so that only that one is lost.
                suspects = [path, *(p for p, _ in pending)]
                pending.clear()
                self._restart()
                for s in suspects:
                    yield self._alone(s)
                for p in it:
                    pending.append((p, self._started(p)))
                    if len(pending) >= 2 * self.workers:
                        break
                continue
            nxt = next(it, None)
            if nxt is not None:
                pending.append((nxt, self._started(nxt)))
            yield rep

    def close(self) -> None:
        """Stop the workers (a file one is reading is finished first)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def died(path: Path) -> FileReport:
    """The report of a file whose reading killed the worker process reading it."""
    rep = FileReport(path=str(path), status="rejected")
    rep.problems.append(
        make_problem(
            ProblemCode.FILE_UNREADABLE,
            sheet="",
            row=0,
            detail=pick(
                f"{path.name}: 读取该文件时读取进程异常终止, 文件内容可能已损坏",
                f"{path.name}: the process reading it died; its content may be damaged",
            ),
        )
    )
    return rep
