"""Validating and importing sheet files: the work behind `validate` and `import`.

Each file is read, located, validated and (for import) written in one transaction, so a
file is imported whole or not at all. A file whose exact bytes were imported before for
the same date and mode is reported ``unchanged`` and not read again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import multiprocessing
import os
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy.engine import Connection

from laborcli import __version__
from laborcli.dates import as_of_from_name
from laborcli.errors import InputFileError, UsageError
from laborcli.i18n import pick
from laborcli.layout import locate
from laborcli.plausibility import implausible_batches
from laborcli.policy import DedupPolicy
from laborcli.problems import Problem, make_problem
from laborcli.reading import RawBook, file_sha256, read_book
from laborcli.registry import Registry, store
from laborcli.schema import SheetSchema
from laborcli.validation import Options, SheetResult, validate_table

Mode = Literal["snapshot", "update"]
Status = Literal["imported", "unchanged", "rejected", "checked"]


@dataclass(slots=True)
class FileReport:
    """What happened to one file (cli.md's ``files`` entries)."""

    path: str
    sha256: str = ""
    status: Status = "checked"
    as_of: dt.date | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    sheets: list[SheetResult] = field(default_factory=list)
    book: RawBook | None = None
    # For an import: the accepted rows, ready to store, by village.
    batches: dict[tuple[str, str], store.Batch] = field(default_factory=dict)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of cli.md."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "status": self.status,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_rejected": self.rows_rejected,
            "warnings": self.warnings,
            "problems": [p.as_json(show_pii) for p in self.problems],
        }

    @property
    def errors(self) -> int:
        """Problems of error severity."""
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(slots=True)
class RunReport:
    """All files of one command."""

    files: list[FileReport] = field(default_factory=list)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of cli.md."""
        return {"files": [f.as_json(show_pii) for f in self.files], "totals": self.totals()}

    def totals(self) -> dict[str, int]:
        """cli.md's ``totals``."""
        return {
            "files": len(self.files),
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_imported": sum(f.rows_imported for f in self.files),
            "rows_rejected": sum(f.rows_rejected for f in self.files),
        }

    @property
    def has_problems(self) -> bool:
        """Any file rejected or any row rejected: exit code 1."""
        return any(f.status == "rejected" or f.rows_rejected for f in self.files)


@dataclass(slots=True)
class Settings:
    """How files are read and checked."""

    schema: SheetSchema
    strict: bool = False
    township: str | None = None
    village: str | None = None
    today: dt.date = field(default_factory=dt.date.today)


def resolve_as_of(paths: list[Path], as_of: dt.date | None) -> dict[Path, dt.date]:
    """Each file's as-of date: the option, else the month in its name; else a usage error."""
    out: dict[Path, dt.date] = {}
    missing = []
    for p in paths:
        d = as_of or as_of_from_name(p.name)
        if d is None:
            missing.append(p.name)
        else:
            out[p] = d
    if missing:
        raise UsageError(
            pick(
                f"无法从文件名确定统计日期, 请用 --as-of 指定: {', '.join(missing[:3])}",
                f"no month in the file name; give --as-of: {', '.join(missing[:3])}",
            )
        )
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a file's cells are alive.

    A sheet becomes millions of small objects (cells, rows, columns) without a cycle among
    them, which reference counting frees; the collector only walked them again and again,
    a quarter of an import's time.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def check_file(
    path: Path, settings: Settings, keep_book: bool = False, for_store: bool = False
) -> FileReport:
    """Read and validate one file; no registry involved.

    ``for_store`` also turns the accepted rows into stored rows (``batches``), here, where
    the file is read: in a worker process when the import runs several.
    """
    with gc_paused():
        return _check_file(path, settings, keep_book, for_store)


def _check_file(path: Path, settings: Settings, keep_book: bool, for_store: bool) -> FileReport:
    rep = FileReport(path=str(path))
    try:
        book = read_book(path)
    except InputFileError as e:
        rep.status = "rejected"
        rep.problems.append(make_problem("file-unreadable", sheet="", row=0, value=None, detail=str(e)))
        return rep
    rep.sha256 = book.sha256
    if keep_book:
        rep.book = book
    opts = Options(
        today=settings.today, strict=settings.strict, township=settings.township, village=settings.village
    )
    found = False
    for raw in book.sheets:
        table = locate(raw, settings.schema)
        if table is None:
            continue
        found = True
        res = validate_table(raw, table, settings.schema, opts, as_columns=for_store)
        if res.columns:
            _add_batches(rep.batches, res)
        res.columns = None  # stored now; not carried back from a worker
        rep.sheets.append(res)
        rep.problems.extend(res.problems)
        rep.rows_read += res.rows_read
        rep.rows_imported += res.accepted
        rep.rows_rejected += len(res.rejected_rows)
    rep.warnings = sum(1 for p in rep.problems if p.severity == "warning")
    if not found:
        rep.status = "rejected"
        rep.problems.append(
            make_problem(
                "no-header", sheet=book.sheets[0].name if book.sheets else "", row=1, detail=path.name
            )
        )
    return rep


def _add_batches(into: dict[tuple[str, str], store.Batch], res: SheetResult) -> None:
    """A sheet's accepted rows as stored rows, with the count of warnings each row carries."""
    cols = res.columns
    assert cols is not None
    warned: dict[int, int] = defaultdict(int)
    for p in res.problems:
        if p.severity == "warning":
            warned[p.row] += 1
    cols["warnings"] = [warned.get(n, 0) for n in cols["row_number"]]
    for place, batch in store.batches(cols).items():
        have = into.get(place)
        if have is None:
            into[place] = batch
        else:  # the same village on two sheets of one file: one snapshot
            have.extend(batch)


def validate_files(
    paths: list[Path],
    settings: Settings,
    on_file: Callable[[FileReport], None] | None = None,
    keep_book: bool = False,
) -> RunReport:
    """`laborcli validate`: check files, write nothing."""
    run = RunReport()
    for p in paths:
        rep = check_file(p, settings, keep_book=keep_book)
        run.files.append(rep)
        if on_file:
            on_file(rep)
    return run


def import_files(
    reg: Registry,
    paths: list[Path],
    settings: Settings,
    *,
    as_of: dt.date | None,
    mode: Mode = "snapshot",
    dry_run: bool = False,
    on_file: Callable[[FileReport], None] | None = None,
    force: bool = False,
    dedup: DedupPolicy | None = None,
) -> RunReport:
    """`laborcli import`: each file validated and written in its own transaction.

    Unless ``force``, a file whose valid IDs mostly belong to other villages is refused
    (see ``plausibility``).
    """
    dates = resolve_as_of(paths, as_of)
    run = RunReport()
    guard = None if force else (dedup or DedupPolicy())
    known = {} if dry_run else _already_imported(reg, paths, dates, mode)
    fresh = [p for p in paths if p not in known]
    checked = check_files(fresh, settings)
    with gc_paused(), _GroupWriter(reg) as writer:
        for p in paths:
            if p in known:
                rep = FileReport(path=str(p), sha256=known[p][0], status="unchanged", as_of=dates[p])
                rep.rows_read, rep.rows_imported, rep.rows_rejected, rep.warnings = known[p][1]
            else:
                rep = _import_one(writer, next(checked), dates[p], mode, dry_run, guard)
            run.files.append(rep)
            if on_file:
                on_file(rep)
    return run


class _GroupWriter:
    """Files written in one transaction per ~``GROUP_ROWS`` rows, each file in a savepoint.

    A file is still imported whole or not at all: its savepoint is released only when all
    its rows are in, and a file that fails is rolled back to it. Committing per file cost
    a third of the import (every commit writes each index page it touched again), so the
    files before a failure are committed together when it happens, which is what a
    transaction per file gave.
    """

    GROUP_ROWS = 25_000

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self.stack: contextlib.ExitStack | None = None
        self.conn: Connection | None = None
        self.rows = 0

    def __enter__(self) -> _GroupWriter:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is None:
            self.commit()
            return
        # On a failure the files written before it are kept, as with a transaction each;
        # if even that commit fails, the first failure is the one to report.
        with contextlib.suppress(Exception):
            self.commit()

    @contextlib.contextmanager
    def file(self) -> Iterator[Connection]:
        """A connection for one file's writes, inside a savepoint of the open group."""
        if self.conn is None:
            self.stack = contextlib.ExitStack()
            self.conn = self.stack.enter_context(self.reg.writing(bulk=True))
        with self.conn.begin_nested():
            yield self.conn

    def wrote(self, rows: int) -> None:
        """Count a file's rows; commit the group when it is large enough."""
        self.rows += rows
        if self.rows >= self.GROUP_ROWS:
            self.commit()

    def commit(self) -> None:
        """Commit the open group, if any."""
        stack, self.stack, self.conn, self.rows = self.stack, None, None, 0
        if stack is not None:
            stack.close()
            self.reg.checkpoint()


def _already_imported(
    reg: Registry, paths: list[Path], dates: dict[Path, dt.date], mode: Mode
) -> dict[Path, tuple[str, tuple[int, int, int, int]]]:
    """Files whose exact bytes were imported before for the same date and mode.

    Hashing is a hundred times faster than parsing, so a re-run of last night's cron job
    over a folder of unchanged sheets costs seconds, not the whole import again.
    """
    out: dict[Path, tuple[str, tuple[int, int, int, int]]] = {}
    with reg.reading() as conn:
        for p in paths:
            digest = file_sha256(p)
            if digest is None:
                continue
            prior = store.find_import(conn, digest, dates[p], mode)
            if prior is not None:
                out[p] = (digest, prior)
    return out


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


def _worker_start() -> None:
    """Workers yield the processor to the writer, whose turn is the slowest step."""
    with contextlib.suppress(OSError):
        os.nice(int(os.environ.get("LABORCLI_NICE", "5")))


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork where it is safe, else spawn.

    A forked worker starts at once with everything imported; a spawned one imports
    laborcli again (a second of processor per worker on an office PC). Forking a process
    that runs other threads (a progress bar's) can deadlock the child, so then: spawn.
    """
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def check_files(paths: list[Path], settings: Settings) -> Iterator[FileReport]:
    """Each file checked, in order; in worker processes when the batch is large.

    At most two files per worker are in flight, so memory holds a few files, never the
    county; the caller writes one file while the workers read the next ones.
    """
    workers = _worker_count(paths)
    if workers == 1:
        for p in paths:
            yield check_file(p, settings, for_store=True)
        return
    ctx = _pool_context()
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_start) as pool:
        pending: deque[Future[FileReport]] = deque()
        it = iter(paths)
        for p in itertools.islice(it, 2 * workers):
            pending.append(pool.submit(check_file, p, settings, for_store=True))
        while pending:
            rep = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(check_file, nxt, settings, for_store=True))
            yield rep


def _import_one(
    writer: _GroupWriter,
    rep: FileReport,
    as_of: dt.date,
    mode: Mode,
    dry_run: bool,
    guard: DedupPolicy | None,
) -> FileReport:
    try:
        return _store_checked(writer, rep, as_of, mode, dry_run, guard)
    finally:
        rep.batches = {}  # written or refused: a run keeps its reports, not every row


def _store_checked(
    writer: _GroupWriter,
    rep: FileReport,
    as_of: dt.date,
    mode: Mode,
    dry_run: bool,
    guard: DedupPolicy | None,
) -> FileReport:
    path = Path(rep.path)
    named = as_of_from_name(path.name)
    rep.as_of = as_of
    if named and named != as_of and rep.status != "rejected":
        rep.problems.insert(
            0,
            make_problem(
                "as-of-conflict",
                sheet="",
                row=0,
                value=path.name,
                detail=f"{named.isoformat()} ≠ {as_of.isoformat()}",
            ),
        )
    if rep.status == "rejected":
        return rep
    if dry_run:
        rep.status = "checked"
        return rep
    with writer.file() as conn:
        prior = store.find_import(conn, rep.sha256, as_of, mode)
        if prior is not None:
            rep.status = "unchanged"
            rep.problems = []
            rep.rows_read, rep.rows_imported, rep.rows_rejected, rep.warnings = prior
            return rep
        ids = {place: b.valid_ids for place, b in rep.batches.items()}
        refused = implausible_batches(conn, ids, as_of, guard) if guard else []
        if refused:
            rep.status = "rejected"
            rep.problems = refused + rep.problems
            rep.rows_rejected, rep.rows_imported = rep.rows_read, 0
            return rep
        store.write_import(
            conn,
            path=str(path),
            sha256=rep.sha256,
            as_of=as_of,
            mode=mode,
            report_counts=(rep.rows_read, rep.rows_imported, rep.rows_rejected, rep.warnings),
            batches=rep.batches,
            problems=rep.problems,
            version=__version__,
        )
    writer.wrote(rep.rows_imported)
    rep.status = "imported"
    return rep
