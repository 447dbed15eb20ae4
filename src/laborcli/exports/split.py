"""The monthly report split by township: one workbook each (`export report --split-by township`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from laborcli.exports.report import write_report
from laborcli.identity.privacy import Mask
from laborcli.roster.report_data import ReportData


def write_township_reports(
    reports: Iterable[tuple[str, ReportData]], output: Path, mask: Mask
) -> Iterator[Path]:
    """Write each township's report, yielding each path once written."""
    for township, data in reports:
        path = split_path(output, township)
        write_report(data, path, mask)
        yield path


def split_path(output: Path, township: str) -> Path:
    """The township's workbook: ``{township}`` in the name replaced, else ``<stem>_<township>.xlsx``
    in the folder named (``月报_<township>.xlsx`` when ``output`` is a folder)."""
    if "{township}" in str(output):
        return Path(str(output).replace("{township}", township))
    folder = output if output.suffix.lower() != ".xlsx" else output.parent
    stem = "月报" if output.suffix.lower() != ".xlsx" else output.stem
    return folder / f"{stem}_{township}.xlsx"
