"""The monthly report split by township: one workbook each (`export report --split-by township`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from laborcli.exports.report import write_report
from laborcli.identity.privacy import Mask
from laborcli.roster.report_data import ReportData
from laborcli.sheets.safe import distinct_name, inside, writable_folder

PLACE = "{township}"


def write_township_reports(
    reports: Iterable[tuple[str, ReportData]], output: Path, mask: Mask
) -> Iterator[Path]:
    """Write each township's report, yielding each path once written.

    A township's name is made a safe file name (``safe.safe_name``), two townships whose
    names become the same get two files, and every path must stay under the folder the
    user gave (see ``base_folder``).
    """
    base = base_folder(output)
    writable_folder(base)
    taken: set[str] = set()
    for township, data in reports:
        path = inside(base, split_path(output, distinct_name(township, taken)))
        write_report(data, path, mask)
        yield path


def base_folder(output: Path) -> Path:
    """The folder the user gave: the part of ``output`` before ``{township}``, or the
    folder itself, or the folder of a file named."""
    if PLACE in str(output):
        parts = output.parts
        first = next(i for i, part in enumerate(parts) if PLACE in part)
        return Path(*parts[:first]) if first else Path(".")
    return output if output.suffix.lower() != ".xlsx" else output.parent


def split_path(output: Path, name: str) -> Path:
    """The township's workbook, ``name`` being its safe file name: ``{township}`` in the
    name replaced, else ``<stem>_<name>.xlsx`` in the folder named (``月报_<name>.xlsx``
    when ``output`` is a folder)."""
    if PLACE in str(output):
        return Path(str(output).replace(PLACE, name))
    folder = output if output.suffix.lower() != ".xlsx" else output.parent
    stem = "月报" if output.suffix.lower() != ".xlsx" else output.stem
    return folder / f"{stem}_{name}.xlsx"
