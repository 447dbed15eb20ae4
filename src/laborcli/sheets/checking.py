"""Reading and validating sheet files of any kind, with no registry involved: the work
that worker processes do for an import, all that `validate` does, and the one report of
every import-like command (``FileReport``, ``RunReport``).

Nothing here loads the database layer, so a worker forked from here starts at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from laborcli.dates import as_of_from_name, as_of_from_title
from laborcli.errors import InputFileError
from laborcli.i18n import pick
from laborcli.sheets.locating import Table, locate, title_rows
from laborcli.sheets.problems import Problem, ProblemCode, make_problem
from laborcli.sheets.reading import PlacedInputError, RawBook, RawSheet, Skipped, column_letter, read_book
from laborcli.sheets.schema import SheetSchema
from laborcli.sheets.validating import Options, SheetResult, validate_table

Status = Literal["imported", "unchanged", "rejected", "checked"]


@dataclass(slots=True)
class FileReport:
    """What happened to one file (a ``files`` entry of docs/json.md#import-validate)."""

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
    # The month the sheet's title rows name (统计时间：2026年11月): the file's as-of date
    # when neither the command line nor the file name gives one.
    title_as_of: dt.date | None = None
    # For an import: the accepted rows in the kind's stored form, by place (its rule set's
    # ``store``); a kind without one keeps its accepted columns in ``sheets``.
    batches: dict[Any, Any] = field(default_factory=dict)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of docs/json.md#import-validate."""
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
    """All files of one import-like command (validate, import, targets import...)."""

    files: list[FileReport] = field(default_factory=list)

    # Files of the folders and globs given that were not read, with the reason of each.
    skipped: list[Skipped] = field(default_factory=list)

    def as_json(self, show_pii: bool = False) -> dict[str, Any]:
        """The JSON shape of docs/json.md#import-validate."""
        return {
            "files": [f.as_json(show_pii) for f in self.files],
            "totals": self.totals(),
            "skipped": [s.as_json() for s in self.skipped],
        }

    def totals(self) -> dict[str, int]:
        """The ``totals`` of docs/json.md#import-validate."""
        return {
            "files": len(self.files),
            "rows_read": sum(f.rows_read for f in self.files),
            "rows_imported": sum(f.rows_imported for f in self.files),
            "rows_rejected": sum(f.rows_rejected for f in self.files),
        }

    def flatten(self, show_pii: bool = False) -> list[dict[str, Any]]:
        """One record per problem, with its file's name and status: the CSV form."""
        return [
            {"file": Path(f.path).name, "status": f.status, **p.as_json(show_pii)}
            for f in self.files
            for p in f.problems
        ]

    @property
    def has_problems(self) -> bool:
        """Any file or row rejected in this run: exit code 1. An ``unchanged`` file was not
        read again, so the rows it had rejected when first imported are no problem found
        now (a nightly re-run of an unchanged folder exits 0)."""
        return any(
            f.status == "rejected" or (f.rows_rejected and f.status != "unchanged") for f in self.files
        )


@dataclass(slots=True)
class Settings:
    """How files are read and checked."""

    schema: SheetSchema
    strict: bool = False
    # Values for empty cells, by column key (``--township``, ``--village``).
    defaults: dict[str, str] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    # The policy's highest plausible monthly income (``income.max_monthly_yuan``); None: no limit.
    income_max: float | None = None


def named_as_of(paths: list[Path], as_of: dt.date | None) -> dict[Path, dt.date | None]:
    """Each file's as-of date as far as known before reading it: the option, else the month
    in its name; None for a file whose title rows must say (``FileReport.title_as_of``)."""
    return {p: as_of or as_of_from_name(p.name) for p in paths}


def no_month(rep: FileReport) -> FileReport:
    """A file whose month nothing names: rejected on its own, the other files go on (a
    file that could not be read keeps that reason)."""
    if rep.status != "rejected":
        rep.status = "rejected"
        rep.problems.insert(0, make_problem(ProblemCode.AS_OF_MISSING, sheet="", row=0))
        rep.rows_imported, rep.rows_rejected = 0, rep.rows_read
    rep.batches = {}
    return rep


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a file's cells are alive.

    The one account of why laborcli pauses the cycle collector, wherever it does. The
    collector walks every tracked object again each time enough new ones have been made,
    looking for reference cycles; the objects laborcli makes in bulk have none among them
    and reference counting frees them, so those walks find nothing and only take time:

    - Start-up imports a few thousand modules' worth of objects (typer, pydantic, rich,
      SQLAlchemy), none of them garbage. ``cli.entry.run`` pauses the collector before
      loading them and tells ``cli.app.main``; ``cli.app.main_options`` turns it back on
      for every command but ``import``, once it knows which command runs.
    - An import turns each sheet into millions of small objects (cells, rows, columns).
      The ``import`` command keeps the collector paused throughout; called as a library,
      ``import_sheets`` pauses it with this while it writes, and ``check_file`` while one
      file's cells are alive, in whichever process reads the file.
    - A worker forked from an import inherits the pause and turns the collector back on
      (``_worker_start``): between files it is a process like any other.
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
    except PlacedInputError as e:
        rep.status = "rejected"
        rep.problems.append(
            make_problem(e.code, sheet=e.sheet, row=e.row, column=e.column, value=None, detail=str(e))
        )
        return rep
    except InputFileError as e:
        rep.status = "rejected"
        rep.problems.append(
            make_problem(ProblemCode.FILE_UNREADABLE, sheet="", row=0, value=None, detail=str(e))
        )
        return rep
    rep.sha256 = book.sha256
    if keep_book:
        rep.book = book
    opts = Options(
        today=settings.today,
        strict=settings.strict,
        defaults=settings.defaults,
        source=path.name,
        income_max=settings.income_max,
    )
    rules = settings.schema.rules()
    store = getattr(rules, "store", None) if for_store else None
    found = False
    for raw in book.sheets:
        table = locate(raw, settings.schema)
        if table is None:
            continue
        found = True
        if rep.title_as_of is None:
            rep.title_as_of = as_of_from_title(title_rows(raw, table, settings.schema))
        res = validate_table(raw, table, settings.schema, opts, as_columns=for_store)
        if raw.cleaned:
            res.problems = sorted(res.problems + _cleaned(raw, table, settings.strict), key=lambda p: p.row)
        if store is not None:
            if res.columns:
                store(rep.batches, res)
            res.columns = None  # stored now; not carried back from a worker
        rep.sheets.append(res)
        rep.problems.extend(res.problems)
        rep.rows_read += res.rows_read
        rep.rows_imported += res.accepted
        rep.rows_rejected += len(res.rejected_rows)
    rep.warnings = sum(1 for p in rep.problems if p.severity == "warning")
    if any(p.code in _REFUSING and p.severity == "error" for p in rep.problems):
        rep.status = "rejected"
        rep.rows_imported, rep.rows_rejected, rep.batches = 0, rep.rows_read, {}
    if (
        rep.rows_read
        and not rep.rows_imported
        and any(p.level == "file" and p.severity == "error" for p in rep.problems)
    ):
        # Every sheet refused as a whole (a required column missing): nothing to import,
        # and nothing recorded that a re-run would then call unchanged.
        rep.status = "rejected"
    if not found:
        rep.status = "rejected"
        rep.problems.append(
            make_problem(
                ProblemCode.NO_HEADER,
                sheet=book.sheets[0].name if book.sheets else "",
                row=1,
                detail=f"{path.name}: {_header_needs(settings.schema)}",
            )
        )
    return rep


# Problems that refuse the whole file: its sheet cannot be read without guessing.
_REFUSING = frozenset({ProblemCode.COLUMN_CONFLICT})


def _cleaned(raw: RawSheet, table: Table, strict: bool) -> list[Problem]:
    """A warning for each cell the reader took control characters out of."""
    header_at = {j: table.headers[k] for k, j in table.columns.items()}
    return [
        make_problem(
            ProblemCode.TEXT_CLEANED,
            sheet=raw.name,
            row=i + 1,
            column=header_at.get(j, column_letter(j)),
            value=str(raw.rows[i][j]),
            detail=" ".join(f"U+{ord(c):04X}" for c in removed),
            strict=strict,
        )
        for i, j, removed in raw.cleaned
    ]


def _header_needs(schema: SheetSchema) -> str:
    """What a header row of the kind must name, as the officer reads it."""
    heads = "、".join(schema.by_key[k].header for k in schema.info.header_keys)
    return pick(f"需包含 {heads} 等列", f"it must name {heads} and more")
