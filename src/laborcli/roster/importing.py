"""Validating and importing sheet files: the work behind `validate` and `import`.

Files are read and validated by ``checking`` (in worker processes for a large import)
and written here, each file whole or not at all. A file whose exact bytes were imported
before for the same date and mode is reported ``unchanged`` and not read again.

The database layer (SQLAlchemy, the registry's modules) is loaded only when a registry is
used, so that ``import_sheets`` can start the workers before it (see there).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from laborcli import __version__
from laborcli.dates import as_of_from_name
from laborcli.policy import DedupPolicy
from laborcli.sheets.checking import (
    FileReport,
    RunReport,
    Settings,
    Status,
    check_file,
    gc_paused,
    named_as_of,
    no_month,
)
from laborcli.sheets.problems import ProblemCode, make_problem
from laborcli.sheets.reading import Skipped, file_sha256
from laborcli.sheets.workers import Checker

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from laborcli.identity.privacy import Mask
    from laborcli.registry import Registry

__all__ = [
    "Checker",
    "FileReport",
    "RunReport",
    "Settings",
    "Status",
    "annotate_run",
    "check_file",
    "import_files",
    "import_sheets",
    "validate_files",
]

Mode = Literal["snapshot", "update"]


def validate_files(
    paths: list[Path],
    settings: Settings,
    on_file: Callable[[FileReport], None] | None = None,
    keep_book: bool = False,
    skipped: Sequence[Skipped] = (),
) -> RunReport:
    """`laborcli validate`: check files, write nothing. ``skipped``: the files of the
    folders and globs not read (``collect_files``), reported with the run."""
    run = RunReport(skipped=list(skipped))
    for p in paths:
        rep = check_file(p, settings, keep_book=keep_book)
        run.files.append(rep)
        if on_file:
            on_file(rep)
    return run


def annotate_run(run: RunReport, folder: Path, mask: Mask | None = None) -> Iterator[Path]:
    """Write a copy of each checked sheet with its problem cells marked into ``folder``,
    yielding each copy's path once written (``validate --annotate``); two inputs of one
    stem get copies of different names. ``mask``: identifiers in the problem list."""
    from laborcli.sheets.annotate import annotate_book, copy_names  # openpyxl only when asked
    from laborcli.sheets.safe import make_folder

    make_folder(folder)
    read = [f for f in run.files if f.book is not None]
    for f, name in zip(read, copy_names([Path(f.path) for f in read]), strict=True):
        yield annotate_book(f, folder, name, mask)


def import_sheets(
    paths: list[Path],
    settings: Settings,
    open_registry: Callable[[], Registry],
    *,
    as_of: dt.date | None = None,
    mode: Mode = "snapshot",
    dry_run: bool = False,
    force: bool = False,
    dedup: DedupPolicy | None = None,
    watch: Callable[[], contextlib.AbstractContextManager[Callable[[FileReport], None]]] | None = None,
    skipped: Sequence[Skipped] = (),
) -> RunReport:
    """`laborcli import` from its start: the workers, the registry, the import.

    The order is the point. The workers are forked on the files first, before the database
    layer is loaded and before any thread runs (``watch``'s progress bar starts after
    them), so they read while this process opens the registry (``open_registry``) and looks
    up which files were imported before. ``watch`` gives what to call after each file;
    ``skipped``: the files of the folders and globs not read, reported with the run.
    """
    with Checker(paths, settings) as checker:
        reg = open_registry()
        with watch() if watch is not None else contextlib.nullcontext(None) as on_file:
            run = import_files(
                reg,
                paths,
                settings,
                as_of=as_of,
                mode=mode,
                dry_run=dry_run,
                on_file=on_file,
                force=force,
                dedup=dedup,
                checker=checker,
            )
    run.skipped = list(skipped)
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
    checker: Checker | None = None,
) -> RunReport:
    """`laborcli import`: each file validated and written whole or not at all.

    A file's as-of date is ``as_of``, else the month in its name, else the month its title
    rows name; a file with none is rejected on its own (``as-of-missing``), the others are
    imported. Unless ``force``, a file whose valid IDs mostly belong to other villages is
    refused (see ``plausibility``). ``checker``: one started on ``paths`` before the
    registry was opened (else one is made here).
    """
    dates = named_as_of(paths, as_of)
    run = RunReport()
    guard = None if force else (dedup or DedupPolicy())
    # A file dated only by its title is read before it can be looked up (``_import_one``).
    known = {} if dry_run else _already_imported(reg, [p for p in paths if dates[p]], dates, mode)
    fresh = [p for p in paths if p not in known]
    with contextlib.ExitStack() as own:
        if checker is None:
            checker = own.enter_context(Checker(fresh, settings))
        checked = checker.reports(fresh)
        with gc_paused(), _GroupWriter(reg) as writer:
            for p in paths:
                if p in known:
                    rep = FileReport(path=str(p), sha256=known[p][0], status="unchanged", as_of=known[p][2])
                    rep.rows_read, rep.rows_imported, rep.rows_rejected, rep.warnings = known[p][1]
                else:
                    rep = next(checked)
                    day = dates[p] or rep.title_as_of
                    rep = (
                        no_month(rep) if day is None else _import_one(writer, rep, day, mode, dry_run, guard)
                    )
                run.files.append(rep)
                if on_file:
                    on_file(rep)
    return run


class _GroupWriter:
    """Files written in one transaction (on PostgreSQL, one per ~``GROUP_ROWS`` rows), each
    file in a savepoint.

    A file is still imported whole or not at all: its savepoint is released only when all
    its rows are in, and a file that fails is rolled back to it, and the files before it
    are committed then. Not a commit per file, nor per group on SQLite: a SQLite commit
    writes every page it dirtied to the log again, and a month's persons land all over
    the person index (its key is the ID), so each group of 25,000 rows rewrote most of that
    index, and a month's import grew with the months kept (docs/benchmarks.md). In one
    transaction each page is written once. PostgreSQL logs the changed rows, not the
    pages, so its groups cost nothing of the kind and keep its transactions short.

    What a transaction per file kept and this does not: when the process is killed, or
    the database itself fails (disk full), the files of the open transaction are rolled
    back with it, though the progress bar showed them imported;
    the command's report comes after the last commit, and running the import again
    imports those files (they are not ``unchanged``).
    """

    GROUP_ROWS = 25_000  # PostgreSQL

    def __init__(self, reg: Registry) -> None:
        from laborcli.roster.plausibility import CurrentPlaces

        self.reg = reg
        self.stack: contextlib.ExitStack | None = None
        self.conn: Connection | None = None
        self.rows = 0
        # The current sheets' places, for the plausibility check, within one transaction.
        self.places = CurrentPlaces()
        # The transaction's snapshots, whose keys are checked against other villages' at
        # its end, in key order (store.mark_elsewhere).
        self.elsewhere: list[int] = []

    def __enter__(self) -> _GroupWriter:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if exc is None:
            self.commit()
            self.reg.bulk_written(0, final=True)
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
        with self.reg.errors(), self.conn.begin_nested():
            yield self.conn

    def wrote(self, rows: int) -> None:
        """Count a file's rows; commit the group when it is large enough."""
        self.rows += rows
        if self.reg.dialect != "sqlite" and self.rows >= self.GROUP_ROWS:
            self.commit()

    def commit(self) -> None:
        """Commit the open group, if any."""
        from laborcli.registry.store import mark_elsewhere

        stack, self.stack, conn, self.conn, rows, self.rows = self.stack, None, self.conn, None, self.rows, 0
        snaps, self.elsewhere = self.elsewhere, []
        # Another import may write between two transactions (PostgreSQL's groups).
        self.places.forget()
        if stack is not None:
            try:
                if conn is not None and snaps:
                    mark_elsewhere(conn, snaps)
            except BaseException:
                # Never committed without its keys checked (multi_keys' invariant).
                stack.__exit__(*sys.exc_info())
                raise
            stack.close()
            self.reg.checkpoint()
            self.reg.bulk_written(rows)


def _already_imported(
    reg: Registry, paths: list[Path], dates: dict[Path, dt.date | None], mode: Mode
) -> dict[Path, tuple[str, tuple[int, int, int, int], dt.date]]:
    """Files whose exact bytes were imported before for the same date and mode (with that
    date).

    Hashing a file is far cheaper than parsing it, so a re-run of last night's cron job over
    a folder of unchanged sheets does not do the whole import again (see docs/benchmarks.md).
    """
    from laborcli.registry import store

    out: dict[Path, tuple[str, tuple[int, int, int, int], dt.date]] = {}
    with reg.reading() as conn:
        for p in paths:
            day = dates[p]
            digest = file_sha256(p)
            if digest is None or day is None:
                continue
            prior = store.find_import(conn, digest, day, mode)
            if prior is not None:
                out[p] = (digest, prior, day)
    return out


def _import_one(
    writer: _GroupWriter,
    rep: FileReport,
    as_of: dt.date,
    mode: Mode,
    dry_run: bool,
    guard: DedupPolicy | None,
) -> FileReport:
    """Write one checked file (or say why not); its rows are dropped afterwards either way,
    so that a run keeps its reports, not every row."""
    from laborcli.registry import store
    from laborcli.roster.plausibility import implausible_batches

    try:
        path = Path(rep.path)
        named = as_of_from_name(path.name)
        rep.as_of = as_of
        if named and named != as_of and rep.status != "rejected":
            rep.problems.insert(
                0,
                make_problem(
                    ProblemCode.AS_OF_CONFLICT,
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
            refused = implausible_batches(conn, ids, as_of, guard, writer.places) if guard else []
            if refused:
                rep.status = "rejected"
                rep.problems = refused + rep.problems
                rep.rows_rejected, rep.rows_imported = rep.rows_read, 0
                return rep
            # Told before the write: if it fails, its savepoint's rollback changes them too.
            writer.places.written(rep.batches)
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
                snapshots_written=writer.elsewhere,
            )
        writer.wrote(rep.rows_imported)
        rep.status = "imported"
        return rep
    finally:
        rep.batches = {}
