"""A table a reporting command shows: rows and the columns to show them by.

One listing is shown three ways: in the terminal (``cli.output.print_listing``), as a
print-ready workbook (``write_listing_xlsx``) and as a CSV meant for Excel
(``write_listing_csv``). The columns carry their Chinese and English heads and the kind
of their values, so every command's table looks and exports the same way; the machine
outputs (``--format json|csv``) are each command's own contract and do not come from here.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from laborcli.sheets.safe import csv_safe, whole_file


class Kind(StrEnum):
    """What a column holds: how it is written in a table, a workbook and a CSV."""

    text = "text"
    int = "int"
    pct = "pct"  # a fraction, shown as a percentage
    float = "float"
    yes_no = "yes_no"  # a bool, written 是/否
    date = "date"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its key in the rows, its heads and the kind of its values."""

    key: str
    zh: str
    en: str
    kind: Kind = Kind.text
    # Essential columns are the ones a narrow terminal keeps; the others are named in a
    # note under the table and shown with --wide, in the exports and in CSV/JSON.
    essential: bool = True
    short: str | None = None  # a shorter Chinese head for the terminal
    width: int | None = None  # the workbook column's width

    @property
    def numeric(self) -> bool:
        """Right-aligned in the terminal."""
        return self.kind in (Kind.int, Kind.pct, Kind.float)


@dataclass(frozen=True)
class Listing:
    """Rows keyed by the columns' keys, with a title and the sheet name of the workbook."""

    title_zh: str
    title_en: str
    columns: Sequence[Column]
    rows: Sequence[Mapping[str, object]]
    sheet: str = "表"
    # One rich style per row ("" for none), for the terminal only: the workbook and CSV
    # carry what the colour says in a column of their own (榜单, 合计).
    styles: Sequence[str] = field(default_factory=tuple)

    def style(self, i: int) -> str:
        """The terminal style of row ``i``."""
        return self.styles[i] if i < len(self.styles) else ""


def text_cell(c: Column, v: object, *, zh: bool = True) -> str:
    """A value as the terminal and the Excel CSV write it."""
    if v is None or v == "":
        return ""
    if c.kind is Kind.pct and isinstance(v, int | float):
        return f"{v * 100:.1f}%"
    if c.kind is Kind.int and isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if c.kind is Kind.float and isinstance(v, int | float):
        return f"{v:.2f}"
    if c.kind is Kind.yes_no:
        return ("是" if v else "否") if zh else ("yes" if v else "no")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _width(c: Column) -> int:
    """A column's width: numbers narrow under a wrapped head, so a wide table still
    prints legibly on one page."""
    if c.numeric:
        return max(8, min(11, len(c.zh) * 2 + 2))
    return max(10, min(30, len(c.zh) * 2 + 4))


_XLSX_FORMATS = {Kind.int: "#,##0", Kind.pct: "0.0%", Kind.float: "0.00", Kind.date: "yyyy-mm-dd"}


def _xlsx_cell(c: Column, v: object) -> object:
    """Numbers stay numbers (formatted by the column), yes/no becomes 是/否."""
    if v is None:
        return None
    if c.kind is Kind.yes_no:
        return "是" if v else "否"
    if c.kind in (Kind.int, Kind.pct, Kind.float, Kind.date):
        return v
    return str(v)


def write_listing_xlsx(listing: Listing, path: Path) -> None:
    """One sheet: the title, Chinese heads, numbers as numbers, A4 landscape, heads repeated."""
    from laborcli.sheets.workbook import font, new_workbook, write_table

    cols = list(listing.columns)
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = listing.sheet[:31]
    head = write_table(
        ws,
        listing.title_zh,
        [c.zh for c in cols],
        [[_xlsx_cell(c, r.get(c.key)) for c in cols] for r in listing.rows],
        widths=[c.width or _width(c) for c in cols],
        formats={j: _XLSX_FORMATS[c.kind] for j, c in enumerate(cols) if c.kind in _XLSX_FORMATS},
    )
    for i in range(len(listing.rows)):
        if "bold" in listing.style(i):  # the total
            for j in range(1, len(cols) + 1):
                cell = ws.cell(row=head + 1 + i, column=j)
                cell.font = font(bold=True)
    with whole_file(path) as tmp:
        wb.save(tmp)


def write_listing_csv(listing: Listing, path: Path) -> None:
    """A CSV that Excel opens as it is: UTF-8 with a BOM, Chinese heads, values as shown.

    Excel reads a CSV without a BOM in the system's code page (GBK on a Chinese
    Windows), which garbles every Chinese cell; "12.3%" it reads as a number.
    """
    cols = list(listing.columns)
    with whole_file(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow([c.zh for c in cols])
        for r in listing.rows:
            w.writerow([csv_safe(_csv_value(c, r.get(c.key))) for c in cols])


def _csv_value(c: Column, v: object) -> object:
    # Counts without thousands separators: Excel would read "1,234" as text in some locales.
    if c.kind is Kind.int and isinstance(v, int) and not isinstance(v, bool):
        return v
    return text_cell(c, v)
